#!/bin/sh
# embed.sh NAME FILE — prints FILE as a C array NAME (NUL-terminated) and
# NAME_len, so the schemas and the ICC profile travel inside the library.
name=$1 file=$2
echo "#include <stddef.h>"
echo "const unsigned char ${name}[] = {"
od -An -v -tx1 "$file" | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'
echo "0x00 };"
echo "const size_t ${name}_len = sizeof(${name}) - 1;"
