// merge.cc — agenda packs: external PDFs probed and merged into the
// pack's base PDF with libqpdf (merge.h). C++ inside, C at the edge:
// every exception is caught in merge_probe() and merge_write().
// qpdf 11 warns unless told which PointerHolder it is: none (std::shared_ptr).
#define POINTERHOLDER_TRANSITION 4

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cctype>
#include <cstring>
#include <strings.h>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <qpdf/Pl_Discard.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFAnnotationObjectHelper.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFNumberTreeObjectHelper.hh>
#include <qpdf/QPDFOutlineDocumentHelper.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

extern "C" {
#include "pack/merge.h"
}

int merge_max_pages = MERGE_MAX_PAGES;

#ifdef SC_MERGE_MODULE
// Built as scrutineer-merge.so (merge.h): messages go to the command's
// own diag_add() and diag_oom(), which it passes in.
static const struct merge_host *host;
#define diag_add host->add
#define diag_oom host->oom
#endif

namespace {

typedef QPDFObjectHandle OH;

// libharu, which writes the placeholder pages, takes 3 to 14400 pt.
const double PAGE_MIN_PT = 3, PAGE_MAX_PT = 14400;
// Outline and structure walks stop here (qpdf's outline helper: 50).
const int MAX_DEPTH = 64;

// Indirect objects met before.
struct Seen {
	std::set<QPDFObjGen> s;
	bool add(OH h) { return s.insert(h.getObjGen()).second; }
};

// A refusal already phrased for people: what is wrong, what to do.
struct Refusal {
	std::string msg;
};

// Which item of the pack definition, and which PDF, a message is about.
struct Where {
	const char *file;
	int line;
	std::string pdf;
	enum { APPENDIX, BASE, OUTPUT } kind;
};

std::string
clean(const std::string &s)
{
	std::string r;

	// qpdf quotes bytes of the input: keep the message one printable line.
	for (char c : s.substr(0, 200))
		r += (unsigned char)c < 0x20 || c == 0x7f ? ' ' : c;
	return r;
}

Refusal
refuse(const Where &w, const std::string &what)
{
	return Refusal{"appendix \"" + w.pdf + "\" " + what};
}

// The pack's own base PDF is scrutineer's: a fault in it is a bug.
Refusal
base_fault(const Where &w, const std::string &what)
{
	return Refusal{"the pack's base PDF \"" + w.pdf + "\" " + what +
	    "; this is a bug in scrutineer, so please report it"};
}

Refusal
damaged(const Where &w, const std::string &detail)
{
	if (w.kind == Where::BASE)
		return base_fault(w, "cannot be read back (qpdf: " + clean(detail) +
		    ")");
	if (w.kind == Where::OUTPUT)
		return Refusal{"cannot write \"" + w.pdf + "\" (" + clean(detail) +
		    "); check that the disk has room and the folder can be "
		    "written to"};
	return refuse(w, "is damaged (qpdf: " + clean(detail) + "); open it in "
	    "the program that made it and export it again as PDF");
}

// Accessors that do not warn (qpdf warns of a type mismatch, and a
// warning here means damage).
std::vector<OH>
items(OH h)
{
	return h.isArray() ? h.getArrayAsVector() : std::vector<OH>();
}

OH
first_item(OH h)
{
	return h.isArray() && h.getArrayNItems() > 0 ? h.getArrayItem(0) :
	    OH::newNull();
}

long long
count_of(OH item)
{
	OH c = item.getKeyIfDict("/Count");

	return c.isInteger() ? c.getIntValue() : 0;
}

// qpdf's warnings (recovery is off, so each is a fault in the file).
void
check_warnings(QPDF &q, const Where &w)
{
	if (q.anyWarnings())
		throw damaged(w, q.getWarnings().at(0).getMessageDetail());
}

// Calls fn on every direct dictionary and array of one object, itself
// included; indirect references are not followed.
template <class F>
void
each_direct(OH top, F fn)
{
	std::vector<OH> stack{top.isStream() ? top.getDict() : top};

	// An indirect number (libharu writes stream lengths so) holds none.
	if (!stack[0].isDictionary() && !stack[0].isArray())
		return;
	while (!stack.empty()) {
		OH h = stack.back();
		stack.pop_back();
		fn(h);
		std::vector<OH> items;
		if (h.isDictionary())
			for (auto &kv : h.getDictAsMap())
				items.push_back(kv.second);
		else if (h.isArray())
			items = h.getArrayAsVector();
		for (auto &v : items)
			if (!v.isIndirect() && (v.isDictionary() || v.isArray()))
				stack.push_back(v);
	}
}

// Resolves everything reachable from the trailer, so that a fault
// anywhere the merge will copy shows now as a warning or exception.
void
resolve_all(QPDF &q)
{
	Seen seen;
	std::vector<OH> stack{q.getTrailer()};

	while (!stack.empty()) {
		OH h = stack.back();
		stack.pop_back();
		if (h.isIndirect() && !seen.add(h))
			continue;
		if (h.isStream())
			h = h.getDict();
		std::vector<OH> items;
		if (h.isDictionary())
			for (auto &kv : h.getDictAsMap())
				items.push_back(kv.second);
		else if (h.isArray())
			items = h.getArrayAsVector();
		for (auto &v : items)
			if (v.isIndirect() || v.isDictionary() || v.isArray())
				stack.push_back(v);
	}
}

// Opens a PDF the way both the probe and the merge need it: refusing
// what a published pack cannot hold, with recovery off.
std::unique_ptr<QPDF>
open_pdf(const Where &w, const char *path)
{
	struct stat st;
	char head[1024];
	ssize_t n;
	int fd;

	// O_NONBLOCK: a FIFO named as an appendix must not hang the build.
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		throw refuse(w, std::string("cannot be opened (") +
		    strerror(errno) + "); check its name in the pack definition");
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		bool dir = S_ISDIR(st.st_mode);
		close(fd);
		throw refuse(w, dir ? "is a folder, not a PDF file; name the PDF "
		    "file itself" : "is not a regular file; name a PDF file");
	}
	if (st.st_size > MERGE_MAX_BYTES) {
		close(fd);
		throw refuse(w, "is " + std::to_string(st.st_size >> 20) +
		    " MiB; an appendix may be at most " +
		    std::to_string(MERGE_MAX_BYTES >> 20) + " MiB, so split it "
		    "or export it again with smaller pictures");
	}
	// Readers look for the header in the first kilobyte.
	n = pread(fd, head, sizeof(head), 0);
	if (n < 5 || memmem(head, (size_t)n, "%PDF-", 5) == NULL) {
		close(fd);
		throw refuse(w, "is not a PDF (it has no %PDF- header); export it "
		    "as PDF from the program that made it");
	}
	std::unique_ptr<QPDF> q;
	FILE *fp = NULL;
	try {
		q.reset(new QPDF());
		fp = fdopen(fd, "rb");
	} catch (...) {
	}
	if (fp == NULL) {
		close(fd);
		throw std::bad_alloc();
	}
	q->setSuppressWarnings(true);
	q->setAttemptRecovery(false);
	try {
		q->processFile(w.pdf.c_str(), fp, true);
	} catch (QPDFExc &e) {
		if (e.getErrorCode() == qpdf_e_password)
			throw refuse(w, "needs a password to open; a published "
			    "pack cannot hold it, so ask its author for a copy saved "
			    "without a password");
		throw damaged(w, e.getMessageDetail());
	}
	// Even an empty user password: the restrictions (no copying, no
	// printing) would not survive the merge, and readers may refuse.
	if (q->isEncrypted())
		throw refuse(w, "is encrypted; a published pack cannot hold it, "
		    "so ask its author for a copy saved without a password or "
		    "restrictions");
	check_warnings(*q, w);
	return q;
}

// The pages, refused when there are none or too many.
std::vector<OH>
pages_of(QPDF &q, const Where &w)
{
	OH count = q.getRoot().getKeyIfDict("/Pages").getKeyIfDict("/Count");
	std::string limit = std::to_string(merge_max_pages);

	// The claimed count first: a million-page tree is not walked.
	if (count.isInteger() && count.getIntValue() > merge_max_pages)
		throw refuse(w, "has " + std::to_string(count.getIntValue()) +
		    " pages; an appendix may have at most " + limit + ", so split "
		    "it into several items");
	std::vector<OH> pages = q.getAllPages();
	check_warnings(q, w);
	if (pages.empty())
		throw refuse(w, "has no pages; export it again, or take it out of "
		    "the pack");
	if (pages.size() > (size_t)merge_max_pages)
		throw refuse(w, "has " + std::to_string(pages.size()) +
		    " pages; an appendix may have at most " + limit + ", so split "
		    "it into several items");
	return pages;
}

int
rotation(QPDFPageObjectHelper &ph)
{
	OH r = ph.getAttribute("/Rotate", false);
	long long v = r.isInteger() ? r.getIntValue() % 360 : 0;

	v = (v + 360) % 360;
	return (int)(v - v % 90);
}

// The page's box in its own user space: the CropBox within the MediaBox
// (what viewers show), or the MediaBox.
bool
visible_box(QPDFPageObjectHelper &ph, OH::Rectangle &r)
{
	OH mb = ph.getMediaBox(), cb = ph.getCropBox();

	if (!mb.isRectangle())
		return false;
	OH::Rectangle m = mb.getArrayAsRectangle();
	r = m;
	if (cb.isRectangle()) {
		OH::Rectangle c = cb.getArrayAsRectangle();
		OH::Rectangle x(std::max(m.llx, c.llx), std::max(m.lly, c.lly),
		    std::min(m.urx, c.urx), std::min(m.ury, c.ury));
		if (x.urx > x.llx && x.ury > x.lly)
			r = x;
	}
	return r.urx > r.llx && r.ury > r.lly;
}

// Width and height as shown [pt].
void
page_size(QPDFPageObjectHelper ph, int no, const Where &w, double out[2])
{
	OH::Rectangle r;
	OH uu = ph.getObjectHandle().getKeyIfDict("/UserUnit");
	double u = uu.isNumber() ? uu.getNumericValue() : 1;
	int rot = rotation(ph);

	if (!(u > 0) || u > 75000 || !visible_box(ph, r))
		throw refuse(w, "page " + std::to_string(no) + " has no usable "
		    "size (its MediaBox or UserUnit is wrong); export it again");
	out[0] = (r.urx - r.llx) * u;
	out[1] = (r.ury - r.lly) * u;
	if (rot == 90 || rot == 270)
		std::swap(out[0], out[1]);
	for (int i = 0; i < 2; i++)
		if (!(out[i] >= PAGE_MIN_PT && out[i] <= PAGE_MAX_PT)) {
			char b[160];
			snprintf(b, sizeof(b), "page %d is %.0f x %.0f pt; a pack's "
			    "pages must be between 3 and 14400 pt a side, so export it "
			    "again at a usual paper size", no, out[0], out[1]);
			throw refuse(w, b);
		}
}

bool
font_embedded(OH font)
{
	OH fd;

	if (font.getKeyIfDict("/Subtype").isNameAndEquals("/Type3"))
		return true; // its glyphs are in the file
	if (font.getKeyIfDict("/Subtype").isNameAndEquals("/Type0"))
		fd = first_item(font.getKeyIfDict("/DescendantFonts"))
		    .getKeyIfDict("/FontDescriptor");
	else
		fd = font.getKeyIfDict("/FontDescriptor");
	return fd.isDictionary() && (fd.hasKey("/FontFile") ||
	    fd.hasKey("/FontFile2") || fd.hasKey("/FontFile3"));
}

// Counts the fonts of res, and of the form XObjects it uses, that are
// not embedded; seen keeps each font and form counted once.
void
count_fonts(OH res, Seen &seen, int depth, int &n)
{
	if (!res.isDictionary() || depth > MAX_DEPTH)
		return;
	OH fonts = res.getKeyIfDict("/Font");
	if (fonts.isDictionary())
		for (auto &kv : fonts.getDictAsMap()) {
			OH f = kv.second;
			if (f.isDictionary() && (!f.isIndirect() || seen.add(f)) &&
			    !font_embedded(f))
				n++;
		}
	OH xo = res.getKeyIfDict("/XObject");
	if (xo.isDictionary())
		for (auto &kv : xo.getDictAsMap())
			if (kv.second.isFormXObject() && seen.add(kv.second))
				count_fonts(kv.second.getDict().getKeyIfDict("/Resources"),
				    seen, depth + 1, n);
}

int
unembedded_fonts(std::vector<OH> &pages)
{
	Seen seen;
	int n = 0;

	for (auto &p : pages) {
		QPDFPageObjectHelper ph(p);
		count_fonts(ph.getAttribute("/Resources", false), seen, 0, n);
		// What annotations show is drawn with fonts too.
		for (auto &a : ph.getAnnotations()) {
			OH ap = a.getAppearanceStream("/N");
			if (ap.isFormXObject() && seen.add(ap))
				count_fonts(ap.getDict().getKeyIfDict("/Resources"), seen, 0, n);
		}
	}
	return n;
}

bool
is_tagged(QPDF &q)
{
	OH root = q.getRoot();

	return root.getKeyIfDict("/MarkInfo").getKeyIfDict("/Marked").isBool() &&
	    root.getKeyIfDict("/MarkInfo").getKeyIfDict("/Marked").getBoolValue() &&
	    root.getKeyIfDict("/StructTreeRoot").isDictionary();
}

// The PDF/A part a file claims in its XMP (pdfaid:part as an element or
// an attribute), 0 for none; conf its conformance letter. A claim is
// what other systems' exports give us to go on: it is not verified here.
int
pdfa_claim(QPDF &q, char *conf)
{
	OH m = q.getRoot().getKeyIfDict("/Metadata");
	std::string x;
	int part = 0;

	*conf = 0;
	if (!m.isStream())
		return 0;
	try {
		auto data = m.getStreamData(qpdf_dl_generalized);
		x.assign(reinterpret_cast<const char *>(data->getBuffer()),
		    data->getSize() < (1 << 20) ? data->getSize() : (1 << 20));
	} catch (std::exception &) {
		return 0;   // an unreadable packet claims nothing
	}
	auto value = [&x](const char *key) -> char {
		size_t at = x.find(key);
		if (at == std::string::npos)
			return 0;
		at += strlen(key);
		while (at < x.size() && (x[at] == '>' || x[at] == '=' ||
		    x[at] == '"' || x[at] == '\'' || x[at] == ' '))
			at++;
		return at < x.size() ? x[at] : 0;
	};
	char p = value("pdfaid:part"), c = value("pdfaid:conformance");
	if (p >= '1' && p <= '4')
		part = p - '0';
	if (part && (c == 'A' || c == 'B' || c == 'U' || c == 'a' || c == 'b' ||
	    c == 'u'))
		*conf = (char)toupper((unsigned char)c);
	return part;
}

// Each page's content decoded (and thrown away): a damaged stream shows
// as a warning or an exception here, not as a blank page in the pack.
void
check_contents(QPDF &q, std::vector<OH> &pages, const Where &w)
{
	Pl_Discard discard;

	resolve_all(q);
	q.pushInheritedAttributesToPage();
	for (auto &p : pages)
		QPDFPageObjectHelper(p).pipeContents(&discard);
	check_warnings(q, w);
}

char *
xstrdup(const std::string &s)
{
	char *r = strdup(s.c_str());

	if (r == NULL)
		throw std::bad_alloc();
	return r;
}

// ---- merging ----------------------------------------------------------

// The actions a published, archival pack may carry. Scripts, launching
// programs, submitting or resetting forms, media and the rest go.
bool
action_allowed(OH a)
{
	OH s = a.getKeyIfDict("/S");

	if (s.isNameAndEquals("/GoTo"))
		return true;
	if (s.isNameAndEquals("/Named")) {
		OH n = a.getKeyIfDict("/N");
		return n.isNameAndEquals("/NextPage") ||
		    n.isNameAndEquals("/PrevPage") ||
		    n.isNameAndEquals("/FirstPage") || n.isNameAndEquals("/LastPage");
	}
	if (s.isNameAndEquals("/URI") && a.getKeyIfDict("/URI").isString()) {
		std::string u = a.getKeyIfDict("/URI").getStringValue().substr(0, 8);
		for (auto &c : u)
			c = (char)tolower((unsigned char)c);
		// A javascript: URI is a script too.
		return u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0 ||
		    u.rfind("mailto:", 0) == 0;
	}
	return false;
}

// The safety net over every copied object: what runs code is removed
// wherever it hides (a form field's parent, a page, an action chain).
void
strip_executable(OH h, int &removed)
{
	if (!h.isDictionary())
		return;
	for (const char *k : {"/AA", "/JS", "/OpenAction"})
		if (h.hasKey(k)) {
			h.removeKey(k);
			removed++;
		}
	OH a = h.getKeyIfDict("/A");
	// An action has /S; a structure element's /A (attributes) has not.
	if (a.isDictionary() && a.getKeyIfDict("/S").isName()) {
		if (!action_allowed(a)) {
			h.removeKey("/A");
			removed++;
		} else if (a.hasKey("/Next"))
			a.removeKey("/Next");
	}
}

OH
scalar_copy(OH h)
{
	if (h.isBool())
		return OH::newBool(h.getBoolValue());
	if (h.isInteger())
		return OH::newInteger(h.getIntValue());
	if (h.isReal())
		return OH::newReal(h.getRealValue());
	if (h.isName())
		return OH::newName(h.getName());
	if (h.isString())
		return OH::newString(h.getStringValue());
	return OH::newNull();
}

// A foreign object, direct or not, as an object of q (copyForeignObject
// takes only indirect ones).
OH
copy_into(QPDF &q, OH h, int depth = 0)
{
	// qpdf copies the page tree's nodes only as pages (a file that puts
	// its /Pages among its annotations left an uninitialised object).
	if (h.isPagesObject())
		return OH::newNull();
	if (h.isIndirect())
		return q.copyForeignObject(h);
	if (depth > MAX_DEPTH)
		return OH::newNull();
	if (h.isArray()) {
		OH r = OH::newArray();
		for (auto &v : h.getArrayAsVector())
			r.appendItem(copy_into(q, v, depth + 1));
		return r;
	}
	if (h.isDictionary()) {
		OH r = OH::newDictionary();
		for (auto &kv : h.getDictAsMap())
			r.replaceKey(kv.first, copy_into(q, kv.second, depth + 1));
		return r;
	}
	return scalar_copy(h);
}

// One external PDF while it is merged.
struct Part {
	const struct merge_part *p = nullptr;
	Where w{NULL, 0, "", Where::APPENDIX};
	std::unique_ptr<QPDF> f;
	std::vector<OH> fpages;
	std::set<QPDFObjGen> pageset;       // fpages, to check destinations
	std::map<QPDFObjGen, int> pageindex; // fpages: each one's index
	std::map<QPDFObjGen, OH> pagemap;   // foreign page → its copy
	std::vector<OH> npages;             // the copies, in order
	std::vector<OH> annots;             // each page's annotations kept
	bool tagged = false;
	std::vector<OH> kids;               // its top-level structure elements
	std::vector<std::pair<long long, OH>> ptree; // new key → foreign entry
	std::set<QPDFObjGen> dropped;       // annotations left out
	int removed = 0, dead_links = 0;
};

// d as an explicit destination on one of the part's pages, or null.
OH
explicit_dest(Part &pt, QPDFOutlineDocumentHelper &odh, OH d)
{
	if (d.isName() || d.isString())
		d = odh.resolveNamedDest(d);
	if (d.isDictionary())
		d = d.getKeyIfDict("/D");
	if (!d.isArray() || d.getArrayNItems() < 1)
		return OH::newNull();
	OH pg = d.getArrayItem(0);
	if (!pg.isIndirect() || !pt.pageset.count(pg.getObjGen()))
		return OH::newNull();
	return d.shallowCopy();
}

// Media and attachments: not archival, and not readable on paper.
bool
unarchival(OH a)
{
	for (const char *s : {"/Movie", "/Sound", "/Screen", "/RichMedia", "/3D",
	    "/FileAttachment"})
		if (a.getKeyIfDict("/Subtype").isNameAndEquals(s))
			return true;
	return false;
}

// PDF/UA wants each link described (/Contents): where it leads, when
// its maker did not say.
void
describe(Part &pt, OH a, OH to)
{
	if (!a.getKeyIfDict("/Subtype").isNameAndEquals("/Link") ||
	    a.hasKey("/Contents"))
		return;
	if (to.isString())
		a.replaceKey("/Contents", OH::newUnicodeString("Link to " +
		    to.getStringValue()));
	else if (to.isArray())
		a.replaceKey("/Contents", OH::newUnicodeString("Link to page " +
		    std::to_string(pt.pageindex.at(first_item(to).getObjGen()) + 1) +
		    " of this appendix"));
}

// Prepares one annotation for copying; false to leave it out.
bool
keep_annot(Part &pt, QPDFOutlineDocumentHelper &odh, OH a)
{
	bool link = a.getKeyIfDict("/Subtype").isNameAndEquals("/Link");
	OH type = a.getKeyIfDict("/Type");

	// Not an annotation at all: a page, the page tree, anything else.
	if (!a.getKeyIfDict("/Subtype").isName() || a.isPageObject() ||
	    a.isPagesObject() || !(type.isNull() || type.isNameAndEquals("/Annot")))
		return false;
	if (unarchival(a)) {
		pt.removed++;
		return false;
	}
	if (a.hasKey("/AA")) {
		a.removeKey("/AA");
		pt.removed++;
	}
	if (a.hasKey("/Dest")) {
		OH d = explicit_dest(pt, odh, a.getKeyIfDict("/Dest"));
		a.removeKey("/A");
		if (d.isNull()) {
			a.removeKey("/Dest");
			pt.dead_links += link;
			return !link;
		}
		a.replaceKey("/Dest", d);
		describe(pt, a, d);
		return true;
	}
	OH act = a.getKeyIfDict("/A");
	if (!act.isDictionary())
		return !link; // a link to nowhere
	if (act.getKeyIfDict("/S").isNameAndEquals("/GoTo")) {
		OH d = explicit_dest(pt, odh, act.getKeyIfDict("/D"));
		if (d.isNull()) {
			a.removeKey("/A");
			pt.dead_links += link;
			return !link;
		}
		act = act.shallowCopy();
		act.replaceKey("/D", d);
		describe(pt, a, d);
	} else if (!action_allowed(act)) {
		a.removeKey("/A");
		pt.removed++;
		return !link;
	} else {
		act = act.shallowCopy();
		describe(pt, a, act.getKeyIfDict("/URI"));
	}
	act.removeKey("/Next");
	a.replaceKey("/A", act);
	return true;
}

void
prepare_annots(Part &pt, QPDFOutlineDocumentHelper &odh, OH page, Seen &taken)
{
	OH annots = page.getKeyIfDict("/Annots"), kept = OH::newArray();

	// Copied once every page is: a link to a later page copied with its
	// own page would become null.
	page.removeKey("/Annots");
	pt.annots.push_back(kept);
	for (auto &a : items(annots)) {
		// An annotation on two pages is a fault: it stays on the first.
		if (!a.isDictionary() || (a.isIndirect() && !taken.add(a)))
			continue;
		if (keep_annot(pt, odh, a))
			kept.appendItem(a);
		else if (a.isIndirect())
			pt.dropped.insert(a.getObjGen());
	}
}

// Removes OBJRs to annotations left out from the structure elements
// under e, so that none drags a dropped annotation into the pack.
void
drop_objrs(OH top, const std::set<QPDFObjGen> &dropped)
{
	Seen seen;
	std::vector<OH> stack{top};
	auto gone = [&](OH k) {
		return k.isDictionary() && k.getKeyIfDict("/Type").isNameAndEquals("/OBJR")
		    && dropped.count(k.getKeyIfDict("/Obj").getObjGen());
	};

	while (!stack.empty()) {
		OH e = stack.back();
		stack.pop_back();
		if (!e.isDictionary() || (e.isIndirect() && !seen.add(e)))
			continue;
		OH k = e.getKeyIfDict("/K");
		if (gone(k))
			e.removeKey("/K");
		if (!k.isArray()) {
			if (k.isDictionary() && k.hasKey("/S"))
				stack.push_back(k);
			continue;
		}
		for (int i = k.getArrayNItems() - 1; i >= 0; i--) {
			OH c = k.getArrayItem(i);
			if (gone(c))
				k.eraseItem(i);
			else if (c.isDictionary() && c.hasKey("/S"))
				stack.push_back(c);
		}
	}
}

// Gives the part's pages, annotations and forms fresh parent tree keys
// from next up, keeping the foreign entry each will be copied with.
void
renumber(Part &pt, OH str, long long &next)
{
	OH root = str.getKeyIfDict("/ParentTree");
	std::map<long long, long long> remap;
	Seen forms;

	if (!root.isDictionary())
		root = OH::newDictionary();
	QPDFNumberTreeObjectHelper tree(root, *pt.f);
	auto renum = [&](OH obj, const char *key) {
		OH v = obj.getKeyIfDict(key), entry;
		if (!v.isInteger())
			return;
		auto it = remap.find(v.getIntValue());
		if (it == remap.end()) {
			if (!tree.findObject(v.getIntValue(), entry)) {
				obj.removeKey(key);
				return;
			}
			it = remap.emplace(v.getIntValue(), next++).first;
			pt.ptree.emplace_back(it->second, entry);
		}
		obj.replaceKey(key, OH::newInteger(it->second));
	};
	for (size_t i = 0; i < pt.fpages.size(); i++) {
		OH p = pt.fpages[i];
		renum(p, "/StructParents");
		for (auto &a : items(pt.annots[i]))
			if (a.isDictionary())
				renum(a, "/StructParent");
		QPDFPageObjectHelper(p).forEachFormXObject(true,
		    [&](OH &fo, OH &, std::string const &) {
			if (!forms.add(fo))
				return;
			renum(fo.getDict(), "/StructParents");
			renum(fo.getDict(), "/StructParent");
		    });
	}
}

// Without tags, the parent tree keys a page's forms and annotations
// carry would point into the pack's own tree: they go.
void
untag(Part &pt)
{
	for (size_t i = 0; i < pt.fpages.size(); i++) {
		OH p = pt.fpages[i];
		p.removeKey("/StructParents");
		for (auto &a : items(pt.annots[i]))
			if (a.isDictionary())
				a.removeKey("/StructParent");
		QPDFPageObjectHelper(p).forEachFormXObject(true,
		    [&](OH &fo, OH &, std::string const &) {
			fo.getDict().removeKey("/StructParents");
			fo.getDict().removeKey("/StructParent");
		    });
	}
}

// A header cell without /Scope (cairo and some exporters write none)
// leaves a screen reader guessing which cells it heads: a TH in the
// first row of its table heads a column, any other a row.
void
scope_headers(OH root)
{
	std::vector<OH> stack{root};
	std::set<QPDFObjGen> seen;

	while (!stack.empty()) {
		OH e = stack.back();
		stack.pop_back();
		if (!e.isDictionary() || (e.isIndirect() &&
		    !seen.insert(e.getObjGen()).second))
			continue;
		OH k = e.getKeyIfDict("/K");
		std::vector<OH> kids = k.isArray() ? k.getArrayAsVector() :
		    std::vector<OH>{k};
		bool first_row = true;
		for (auto &c : kids) {
			if (!c.isDictionary())
				continue;
			if (e.getKeyIfDict("/S").isNameAndEquals("/Table") &&
			    c.getKeyIfDict("/S").isNameAndEquals("/TR")) {
				OH ck = c.getKeyIfDict("/K");
				for (auto &th : ck.isArray() ? ck.getArrayAsVector() :
				    std::vector<OH>{ck})
					if (th.isDictionary() &&
					    th.getKeyIfDict("/S").isNameAndEquals("/TH") &&
					    !th.getKeyIfDict("/A").isDictionary()) {
						OH a = OH::newDictionary();
						a.replaceKey("/O", OH::newName("/Table"));
						a.replaceKey("/Scope", OH::newName(first_row ?
						    "/Column" : "/Row"));
						th.replaceKey("/A", a);
					}
				first_row = false;
			}
			stack.push_back(c);
		}
	}
}

void
prepare_structure(Part &pt, long long &next)
{
	OH str = pt.f->getRoot().getKeyIfDict("/StructTreeRoot"), k = str.getKeyIfDict("/K");
	std::vector<OH> kids = k.isArray() ? k.getArrayAsVector() :
	    std::vector<OH>{k};

	for (auto &e : kids) {
		if (!e.isDictionary() || !e.getKeyIfDict("/S").isName())
			continue;
		// Its /P is the graft element once copied; the foreign root
		// must not come along with it.
		e.removeKey("/P");
		// One pack, one Document element.
		if (e.getKeyIfDict("/S").isNameAndEquals("/Document"))
			e.replaceKey("/S", OH::newName("/Part"));
		scope_headers(e);
		pt.kids.push_back(e);
	}
	if (!pt.dropped.empty())
		drop_objrs(str, pt.dropped);
	renumber(pt, str, next);
}

// Everything done to the foreign file before the first copy: qpdf
// copies each object once, so later changes would not be seen.
void
prepare(Part &pt, QPDFOutlineDocumentHelper &odh, long long &next)
{
	Seen taken;

	for (size_t i = 0; i < pt.fpages.size(); i++) {
		pt.pageset.insert(pt.fpages[i].getObjGen());
		pt.pageindex.emplace(pt.fpages[i].getObjGen(), (int)i);
	}
	for (auto &p : pt.fpages) {
		QPDFPageObjectHelper ph(p);
		if (p.hasKey("/AA")) {
			p.removeKey("/AA");
			pt.removed++;
		}
		// Article beads lead into threads the pack does not carry.
		p.removeKey("/B");
		p.replaceKey("/Rotate", OH::newInteger(rotation(ph)));
		prepare_annots(pt, odh, p, taken);
	}
	pt.tagged = is_tagged(*pt.f);
	if (pt.tagged)
		prepare_structure(pt, next);
	else
		untag(pt);
}

// The pack's base PDF as read, and what the merge adds to it.
struct Base {
	QPDF q;
	Where w{NULL, 0, "", Where::APPENDIX};
	std::vector<OH> pages;            // as written, placeholders included
	std::vector<OH> objects;          // every object as written
	std::set<QPDFObjGen> known;       // objects already swept for scripts
	std::map<int, OH> graft;          // /ScGraft N → its element
	std::map<long long, OH> ptree;    // the parent tree, rebuilt at the end
	long long next = 0;               // the next free parent tree key
	OH str, outlines;
	std::string lang;
	std::map<QPDFObjGen, OH> replaced; // placeholder → its new page
};

void
open_base(Base &b, const char *path, const unsigned char *mem, size_t len)
{
	b.q.setSuppressWarnings(true);
	b.q.setAttemptRecovery(false);
	// The pack writes its base into memory: no second temporary file.
	if (mem != NULL)
		b.q.processMemoryFile(path, reinterpret_cast<const char *>(mem),
		    len);
	else
		b.q.processFile(path);
	b.pages = b.q.getAllPages();
	b.objects = b.q.getAllObjects();
	for (auto &o : b.objects)
		b.known.insert(o.getObjGen());
	b.str = b.q.getRoot().getKeyIfDict("/StructTreeRoot");
	if (!b.str.isDictionary())
		throw base_fault(b.w, "has no structure tree");
	// The private key goes from the output whatever happens.
	for (auto &o : b.objects)
		each_direct(o, [&](OH h) {
			if (!h.isDictionary() || !h.hasKey("/ScGraft"))
				return;
			OH n = h.getKeyIfDict("/ScGraft");
			h.removeKey("/ScGraft");
			if (n.isInteger())
				b.graft[n.getIntValueAsInt()] = h;
		});
	OH pt = b.str.getKeyIfDict("/ParentTree");
	if (pt.isDictionary())
		for (auto kv : QPDFNumberTreeObjectHelper(pt, b.q)) {
			b.ptree[kv.first] = kv.second;
			b.next = std::max(b.next, kv.first + 1);
		}
	OH nk = b.str.getKeyIfDict("/ParentTreeNextKey");
	if (nk.isInteger())
		b.next = std::max(b.next, nk.getIntValue());
	OH lang = b.q.getRoot().getKeyIfDict("/Lang");
	if (lang.isString())
		b.lang = lang.getUTF8Value();
	b.outlines = b.q.getRoot().getKeyIfDict("/Outlines");
	check_warnings(b.q, b.w);
}

// The base outline item of the part: it leads to the part's first
// placeholder and bears its title.
OH
outline_target(QPDFOutlineDocumentHelper &bodh, QPDFObjGen first,
    const char *title)
{
	std::vector<QPDFOutlineObjectHelper> todo = bodh.getTopLevelOutlines();

	while (!todo.empty()) {
		QPDFOutlineObjectHelper o = todo.back();
		todo.pop_back();
		if (title && o.getDestPage().getObjGen() == first &&
		    o.getTitle() == title)
			return o.getObjectHandle();
		for (auto &k : o.getKids())
			todo.push_back(k);
	}
	return OH::newNull();
}

void
link_child(OH parent, OH item)
{
	OH last = parent.getKeyIfDict("/Last");

	item.replaceKey("/Parent", parent);
	if (last.isDictionary()) {
		last.replaceKey("/Next", item);
		item.replaceKey("/Prev", last);
	} else
		parent.replaceKey("/First", item);
	parent.replaceKey("/Last", item);
}

// A new base outline item for foreign item o, and its kids: rebuilt
// rather than copied, so that no loop, script or stray key comes along.
// Null for an item that leads nowhere: without a destination (its
// script gone, say) it takes its first kid's, without kids it goes.
OH
outline_item(Base &b, Part &pt, QPDFOutlineDocumentHelper &fodh,
    QPDFOutlineObjectHelper &o, int depth)
{
	OH src = o.getObjectHandle(), it = OH::newDictionary();
	OH title = src.getKeyIfDict("/Title"), act = src.getKeyIfDict("/A");
	OH d = explicit_dest(pt, fodh, o.getDest());
	std::vector<QPDFOutlineObjectHelper> kids;

	it.replaceKey("/Title", OH::newString(title.isString() ?
	    title.getStringValue() : ""));
	if (d.isArray()) {
		OH nd = OH::newArray();
		nd.appendItem(pt.pagemap.at(d.getArrayItem(0).getObjGen()));
		for (int i = 1; i < d.getArrayNItems(); i++)
			nd.appendItem(scalar_copy(d.getArrayItem(i)));
		it.replaceKey("/Dest", nd);
	} else if (act.isDictionary() &&
	    act.getKeyIfDict("/S").isNameAndEquals("/URI") && action_allowed(act)) {
		OH a = OH::newDictionary();
		a.replaceKey("/S", OH::newName("/URI"));
		a.replaceKey("/URI", scalar_copy(act.getKeyIfDict("/URI")));
		it.replaceKey("/A", a);
	}
	if (src.getKeyIfDict("/F").isInteger())
		it.replaceKey("/F", scalar_copy(src.getKeyIfDict("/F")));
	it = b.q.makeIndirectObject(it);
	if (depth < MAX_DEPTH)
		kids = o.getKids();
	for (auto &k : kids) {
		OH c = outline_item(b, pt, fodh, k, depth + 1);
		if (c.isNull())
			continue;
		link_child(it, c);
		if (!it.hasKey("/Dest") && !it.hasKey("/A") && c.hasKey("/Dest"))
			it.replaceKey("/Dest", c.getKeyIfDict("/Dest").shallowCopy());
	}
	if (!it.hasKey("/Dest") && !it.hasKey("/A"))
		return OH::newNull();
	// The sign of /Count keeps it open or closed; fix_counts() sets it.
	if (it.hasKey("/First"))
		it.replaceKey("/Count", OH::newInteger(count_of(src) < 0 ? -1 : 1));
	return it;
}

void
graft_outline(Base &b, Part &pt, QPDFOutlineDocumentHelper &fodh, OH target)
{
	std::vector<QPDFOutlineObjectHelper> top = fodh.getTopLevelOutlines();

	if (top.empty())
		return;
	if (!b.outlines.isDictionary()) {
		b.outlines = b.q.makeIndirectObject(OH::newDictionary());
		b.outlines.replaceKey("/Type", OH::newName("/Outlines"));
		b.q.getRoot().replaceKey("/Outlines", b.outlines);
	}
	if (!target.isDictionary())
		target = b.outlines;
	// An item that gains an appendix's outline starts closed.
	else if (!target.getKeyIfDict("/First").isDictionary())
		target.replaceKey("/Count", OH::newInteger(-1));
	for (auto &o : top) {
		OH item = outline_item(b, pt, fodh, o, 1);
		if (!item.isNull())
			link_child(target, item);
	}
}

// Sets each item's /Count from its kids; returns how many items under
// node show when it is open.
long long
fix_counts(OH node, Seen &seen, int depth)
{
	long long shown = 0;

	for (OH c = node.getKeyIfDict("/First"); c.isDictionary() && seen.add(c) &&
	    depth < MAX_DEPTH; c = c.getKeyIfDict("/Next")) {
		bool closed = c.getKeyIfDict("/Count").isInteger() &&
		    c.getKeyIfDict("/Count").getIntValue() < 0;
		long long sub = fix_counts(c, seen, depth + 1);
		shown++;
		if (!c.getKeyIfDict("/First").isDictionary())
			c.removeKey("/Count");
		else if (closed)
			c.replaceKey("/Count", OH::newInteger(-sub));
		else {
			c.replaceKey("/Count", OH::newInteger(sub));
			shown += sub;
		}
	}
	return shown;
}

// Stamps the placeholder (as form fo) over page np, the page's own
// content wrapped in q/Q (and, untagged, in one Figure) so that the
// state it leaves cannot move the stamp.
void
stamp(QPDF &q, OH np, OH fo, bool figure)
{
	QPDFPageObjectHelper ph(np);
	OH res = ph.getAttribute("/Resources", false);
	OH::Rectangle r;
	int suffix = 1;

	// Resources may be shared by several pages; each stamp differs.
	res = res.isDictionary() ? res.shallowCopy() : OH::newDictionary();
	OH xo = res.getKeyIfDict("/XObject");
	xo = xo.isDictionary() ? xo.shallowCopy() : OH::newDictionary();
	res.replaceKey("/XObject", xo);
	np.replaceKey("/Resources", res);
	std::string name = res.getUniqueResourceName("/ScPack", suffix);
	xo.replaceKey(name, fo);
	visible_box(ph, r);
	std::string place = ph.placeFormXObject(fo, name, r);
	ph.addPageContents(q.newStream(figure ? "q\n/Figure <</MCID 0>> BDC\n" :
	    "q\n"), true);
	ph.addPageContents(q.newStream((figure ? "\nEMC\nQ\n" : "\nQ\n") +
	    place), false);
}

// The part's pages into the page tree, each in place of its placeholder.
void
copy_pages(Base &b, Part &pt)
{
	QPDFPageDocumentHelper bdh(b.q);

	for (size_t i = 0; i < pt.fpages.size(); i++) {
		size_t at = pt.p->first + i;
		QPDFPageObjectHelper ph(b.pages[at]);
		OH fo = ph.getFormXObjectForPage(true);
		// A placeholder's parent tree entry goes with it, unless its
		// content is tagged (then the stamp keeps it).
		OH sp = b.pages[at].getKeyIfDict("/StructParents");
		if (sp.isInteger() && b.ptree.count(sp.getIntValue())) {
			OH e = b.ptree[sp.getIntValue()];
			if (e.isArray() && e.getArrayNItems() > 0)
				fo.getDict().replaceKey("/StructParents", sp);
			else
				b.ptree.erase(sp.getIntValue());
		}
		bdh.addPageAt(QPDFPageObjectHelper(pt.fpages[i]), false, ph);
		bdh.removePage(ph);
		OH np = b.q.getAllPages().at(at);
		b.replaced[b.pages[at].getObjGen()] = np;
		pt.pagemap[pt.fpages[i].getObjGen()] = np;
		pt.npages.push_back(np);
		stamp(b.q, np, fo, !pt.tagged);
	}
	for (size_t i = 0; i < pt.npages.size(); i++) {
		OH np = pt.npages[i], annots = copy_into(b.q, pt.annots[i]);
		if (annots.getArrayNItems() == 0)
			continue;
		np.replaceKey("/Annots", annots);
		// PDF/UA: annotations visited in structure order.
		if (!np.hasKey("/Tabs"))
			np.replaceKey("/Tabs", OH::newName("/S"));
		for (auto &a : items(annots))
			if (a.isDictionary())
				a.replaceKey("/P", np);
	}
}

std::string
alt_text(const char *pat, int page, int pages)
{
	std::string r;
	int nth = 0;

	// Not printf: a title with a % in it must not read arguments.
	for (const char *s = pat; *s; s++)
		if (s[0] == '%' && s[1] == 'd') {
			r += std::to_string(nth++ ? pages : page);
			s++;
		} else if (s[0] == '%' && s[1] == '%') {
			r += '%';
			s++;
		} else
			r += *s;
	return r;
}

OH
struct_elem(Base &b, const char *type, OH parent, OH page)
{
	OH e = OH::newDictionary();

	e.replaceKey("/Type", OH::newName("/StructElem"));
	e.replaceKey("/S", OH::newName(type));
	e.replaceKey("/P", parent);
	e.replaceKey("/Pg", page);
	return b.q.makeIndirectObject(e);
}

// An untagged part: each page one Figure saying so, each link a Link.
void
graft_figures(Base &b, Part &pt, OH g, OH gk)
{
	const char *alt = pt.p->untagged_alt ? pt.p->untagged_alt :
	    "Page %d of %d of an appendix without tags; ask the clerk for an "
	    "accessible copy";

	for (size_t i = 0; i < pt.npages.size(); i++) {
		OH np = pt.npages[i], fig = struct_elem(b, "/Figure", g, np);
		fig.replaceKey("/K", OH::newInteger(0));
		fig.replaceKey("/Alt", OH::newUnicodeString(alt_text(alt,
		    (int)i + 1, (int)pt.npages.size())));
		np.replaceKey("/StructParents", OH::newInteger(b.next));
		b.ptree[b.next++] = OH::newArray({fig});
		gk.appendItem(fig);
		for (auto &a : items(np.getKeyIfDict("/Annots"))) {
			if (!a.isIndirect() || !a.isDictionary() ||
			    !a.getKeyIfDict("/Subtype").isNameAndEquals("/Link"))
				continue;
			OH link = struct_elem(b, "/Link", g, np), objr = OH::newDictionary();
			objr.replaceKey("/Type", OH::newName("/OBJR"));
			objr.replaceKey("/Obj", a);
			objr.replaceKey("/Pg", np);
			link.replaceKey("/K", OH::newArray({objr}));
			a.replaceKey("/StructParent", OH::newInteger(b.next));
			b.ptree[b.next++] = link;
			gk.appendItem(link);
		}
	}
}

bool
same_lang(const std::string &a, const std::string &b)
{
	return a.size() == b.size() && strncasecmp(a.c_str(), b.c_str(),
	    a.size()) == 0;
}

// Role and class maps merged into the base's; the base wins a clash.
void
merge_maps(Base &b, Part &pt)
{
	OH fstr = pt.f->getRoot().getKeyIfDict("/StructTreeRoot");

	for (const char *key : {"/RoleMap", "/ClassMap"}) {
		OH fm = fstr.getKeyIfDict(key), bm = b.str.getKeyIfDict(key);
		if (!fm.isDictionary())
			continue;
		if (!bm.isDictionary()) {
			bm = OH::newDictionary();
			b.str.replaceKey(key, bm);
		}
		for (auto &kv : fm.getDictAsMap())
			if (!bm.hasKey(kv.first) && (!strcmp(key, "/ClassMap") ||
			    kv.second.isName()))
				bm.replaceKey(kv.first, copy_into(b.q, kv.second));
	}
}

void
graft_structure(Base &b, Part &pt)
{
	auto gi = b.graft.find(pt.p->graft);

	if (gi == b.graft.end())
		throw base_fault(b.w, "has no element with /ScGraft " +
		    std::to_string(pt.p->graft) + " for appendix \"" + pt.w.pdf +
		    "\"");
	OH g = gi->second, gk = g.getKeyIfDict("/K");
	if (!gk.isArray()) {
		gk = gk.isNull() ? OH::newArray() : OH::newArray({gk});
		g.replaceKey("/K", gk);
	}
	if (!pt.tagged) {
		graft_figures(b, pt, g, gk);
		return;
	}
	OH flang = pt.f->getRoot().getKeyIfDict("/Lang");
	std::string fl = flang.isString() ? flang.getUTF8Value() : "";
	for (auto &k : pt.kids) {
		OH c = copy_into(b.q, k);
		if (!c.isIndirect())
			c = b.q.makeIndirectObject(c);
		c.replaceKey("/P", g);
		if (!fl.empty() && !same_lang(fl, b.lang) && !c.hasKey("/Lang"))
			c.replaceKey("/Lang", OH::newUnicodeString(fl));
		gk.appendItem(c);
	}
	for (auto &e : pt.ptree)
		b.ptree[e.first] = copy_into(b.q, e.second);
	merge_maps(b, pt);
}

// The safety net: every object the part brought in, swept for scripts.
void
sweep(Base &b, Part &pt)
{
	for (auto &o : b.q.getAllObjects())
		if (b.known.insert(o.getObjGen()).second)
			each_direct(o, [&](OH h) { strip_executable(h, pt.removed); });
}

void
merge_one(Base &b, Part &pt, QPDFOutlineDocumentHelper &bodh,
    std::vector<bool> &used)
{
	const struct merge_part *p = pt.p;

	// The file its probe opened and checked, taken over: reading and
	// checking it again was a third of a pack's merge.
	if (p->probe != NULL && p->probe->handle != NULL) {
		pt.f.reset(static_cast<QPDF *>(p->probe->handle));
		p->probe->handle = NULL;
		pt.fpages = pages_of(*pt.f, pt.w);
	} else {
		pt.f = open_pdf(pt.w, p->path);
		pt.fpages = pages_of(*pt.f, pt.w);
		check_contents(*pt.f, pt.fpages, pt.w);
	}
	if ((int)pt.fpages.size() != p->pages)
		throw refuse(pt.w, "now has " + std::to_string(pt.fpages.size()) +
		    " pages, not the " + std::to_string(p->pages) + " it had when "
		    "the pack was laid out; build the pack again");
	if (p->first > b.pages.size() || b.pages.size() - p->first <
	    pt.fpages.size())
		throw base_fault(b.w, "has too few pages for appendix \"" +
		    pt.w.pdf + "\"");
	for (size_t i = p->first; i < p->first + pt.fpages.size(); i++) {
		if (used[i])
			throw base_fault(b.w, "has two appendices on page " +
			    std::to_string(i + 1));
		used[i] = true;
	}
	OH target = outline_target(bodh, b.pages[p->first].getObjGen(),
	    p->outline_title);
	QPDFOutlineDocumentHelper fodh(*pt.f);
	prepare(pt, fodh, b.next);
	copy_pages(b, pt);
	graft_structure(b, pt);
	graft_outline(b, pt, fodh, target);
	sweep(b, pt);
	check_warnings(*pt.f, pt.w);
}

// Every reference to a placeholder, wherever the base holds one
// (outline, link, structure element), made a reference to its page.
void
redirect(Base &b)
{
	for (auto &o : b.objects)
		each_direct(o, [&](OH h) {
			if (h.isDictionary()) {
				for (auto &kv : h.getDictAsMap())
					if (kv.second.isIndirect()) {
						auto it = b.replaced.find(kv.second.getObjGen());
						if (it != b.replaced.end())
							h.replaceKey(kv.first, it->second);
					}
			} else if (h.isArray())
				for (int i = 0; i < h.getArrayNItems(); i++) {
					OH v = h.getArrayItem(i);
					if (!v.isIndirect())
						continue;
					auto it = b.replaced.find(v.getObjGen());
					if (it != b.replaced.end())
						h.setArrayItem(i, it->second);
				}
		});
}

void
finish_tree(Base &b)
{
	OH nums = OH::newArray(), tree = OH::newDictionary();
	Seen seen;

	// One flat, sorted /Nums: thousands of keys read fine.
	for (auto &kv : b.ptree) {
		nums.appendItem(OH::newInteger(kv.first));
		nums.appendItem(kv.second);
	}
	tree.replaceKey("/Nums", nums);
	b.str.replaceKey("/ParentTree", b.q.makeIndirectObject(tree));
	b.str.replaceKey("/ParentTreeNextKey", OH::newInteger(b.next));
	if (b.outlines.isDictionary()) {
		long long n = fix_counts(b.outlines, seen, 0);
		if (n > 0)
			b.outlines.replaceKey("/Count", OH::newInteger(n));
		else
			b.outlines.removeKey("/Count");
	}
}

// "1.7", "2.0": a header's version, or "" when it is not one.
std::string
version_of(QPDF &q)
{
	std::string v = q.getPDFVersion();

	if (v.size() == 3 && (v[0] == '1' || v[0] == '2') && v[1] == '.' &&
	    isdigit((unsigned char)v[2]))
		return v;
	return "";
}

void
write_out(Base &b, std::vector<Part> &parts, const char *path,
    Where &cur, const Where &wout, bool &created)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

	struct stat st;

	cur = wout;
	if (fd < 0)
		throw damaged(wout, strerror(errno));
	// Removed if the write fails: never a device or anything not ours.
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		throw Refusal{"cannot write \"" + wout.pdf + "\": it is not a "
		    "regular file; name a file for the pack"};
	}
	created = true;
	FILE *fp = fdopen(fd, "wb");
	if (fp == NULL) {
		close(fd);
		throw std::bad_alloc();
	}
	// Stream data is read from the parts while writing: a fault found
	// then is theirs, but it cannot be told whose; the file is refused.
	try {
		QPDFWriter w(b.q, path, fp, false);
		w.setDeterministicID(true);
		w.setObjectStreamMode(qpdf_o_generate);
		w.setCompressStreams(true);
		// Streams already compressed are copied, not inflated and
		// compressed again (a quarter of a pack's merge).
		w.setDecodeLevel(qpdf_dl_none);
		w.setLinearization(false);
		w.setMinimumPDFVersion("1.7");
		for (auto &pt : parts)
			if (!version_of(*pt.f).empty())
				w.setMinimumPDFVersion(version_of(*pt.f),
				    pt.f->getExtensionLevel());
		w.write();
	} catch (...) {
		fclose(fp);
		throw;
	}
	if (fflush(fp) != 0 || ferror(fp)) {
		int e = errno;
		fclose(fp);
		throw damaged(wout, strerror(e));
	}
	if (fclose(fp) != 0)
		throw damaged(wout, strerror(errno));
	for (auto &pt : parts) {
		cur = pt.w;
		check_warnings(*pt.f, pt.w);
	}
	cur = b.w;
	check_warnings(b.q, b.w);
}

void
tell(struct diags *d, const Part &pt)
{
	if (pt.removed > 0)
		diag_warn(d, pt.w.file, pt.w.line, "appendix \"%s\": %d scripts, "
		    "form actions or media that a published pack cannot carry were "
		    "removed; check that it reads the same without them",
		    pt.w.pdf.c_str(), pt.removed);
	if (pt.dead_links > 0)
		diag_warn(d, pt.w.file, pt.w.line, "appendix \"%s\": %d links lead "
		    "to places not in the file and were removed; fix them where it "
		    "was made", pt.w.pdf.c_str(), pt.dead_links);
}

void
merge(const char *base_path, const unsigned char *mem, size_t len,
    const struct merge_part *parts, size_t nparts,
    const char *out_path, Where &cur, bool &created,
    struct diags *diags)
{
	// The parts first, so that they go last: the base holds on to their
	// objects (stream data is copied from them when written).
	std::vector<Part> pts(nparts);
	Base b;
	Where wout{NULL, 0, out_path, Where::OUTPUT};

	b.w = Where{NULL, 0, base_path, Where::BASE};
	cur = b.w;
	open_base(b, base_path, mem, len);
	QPDFOutlineDocumentHelper bodh(b.q);
	std::vector<bool> used(b.pages.size());
	for (size_t i = 0; i < nparts; i++) {
		pts[i].p = &parts[i];
		pts[i].w = Where{parts[i].def_file, parts[i].def_line,
		    parts[i].path ? parts[i].path : "", Where::APPENDIX};
		cur = pts[i].w;
		merge_one(b, pts[i], bodh, used);
	}
	cur = b.w;
	redirect(b);
	finish_tree(b);
	check_warnings(b.q, b.w);
	write_out(b, pts, out_path, cur, wout, created);
	for (auto &pt : pts)
		tell(diags, pt);
}

// Every outline item's destination looked up, as the merge will.
void
walk_outlines(Part &pt, QPDFOutlineDocumentHelper &odh)
{
	std::vector<std::pair<QPDFOutlineObjectHelper, int>> todo;

	for (auto &o : odh.getTopLevelOutlines())
		todo.emplace_back(o, 1);
	while (!todo.empty()) {
		auto o = todo.back();
		todo.pop_back();
		explicit_dest(pt, odh, o.first.getDest());
		count_of(o.first.getObjectHandle());
		if (o.second < MAX_DEPTH)
			for (auto &k : o.first.getKids())
				todo.emplace_back(k, o.second + 1);
	}
}

void
probe(const char *path, const Where &w, struct merge_probe *out)
{
	Part pt;
	long long next = 0;

	pt.w = w;
	pt.f = open_pdf(w, path);
	QPDF &q = *pt.f;
	std::vector<OH> &pages = pt.fpages = pages_of(q, w);
	check_contents(q, pages, w);
	out->size = (double (*)[2])calloc(pages.size(), sizeof(*out->size));
	if (out->size == NULL)
		throw std::bad_alloc();
	out->pages = (int)pages.size();
	for (size_t i = 0; i < pages.size(); i++)
		page_size(QPDFPageObjectHelper(pages[i]), (int)i + 1, w,
		    out->size[i]);
	out->tagged = is_tagged(q);
	out->untagged_fonts = unembedded_fonts(pages);
	out->pdfa_part = pdfa_claim(q, &out->pdfa_conformance);
	OH title = q.getTrailer().getKeyIfDict("/Info").getKeyIfDict("/Title");
	if (title.isString()) {
		std::string t = clean(title.getUTF8Value());
		size_t a = t.find_first_not_of(' '), b = t.find_last_not_of(' ');
		if (a != std::string::npos)
			out->title = xstrdup(t.substr(a, b - a + 1));
	}
	// The outline is walked as the merge will, but the rest of what the
	// merge does (annotations, structure) is not rehearsed here: it was
	// a sixth of a pack's build, and a fault it meets is still told, at
	// the item's line, before anything is written.
	QPDFOutlineDocumentHelper odh(q);
	walk_outlines(pt, odh);
	(void)next;
	check_warnings(q, w);
	out->handle = pt.f.release();
}

// Runs fn, turning what it throws into one message; 0 or -1.
// cur names what is being read when it throws.
template <class F>
int
guard(struct diags *d, const Where &cur, F fn)
{
	try {
		fn();
		return 0;
	} catch (Refusal &r) {
		const Where &w = cur;
		diag_err(d, w.file, w.line, "%s", r.msg.c_str());
	} catch (std::bad_alloc &) {
		const Where &w = cur;
		diag_oom(d, w.file, w.line, "out of memory reading \"%s\"",
		    w.pdf.c_str());
	} catch (QPDFExc &e) {
		const Where &w = cur;
		diag_err(d, w.file, w.line, "%s",
		    damaged(w, e.getMessageDetail()).msg.c_str());
	} catch (std::exception &e) {
		const Where &w = cur;
		diag_err(d, w.file, w.line, "%s", damaged(w, e.what()).msg.c_str());
	} catch (...) {
		const Where &w = cur;
		diag_err(d, w.file, w.line, "%s",
		    damaged(w, "unknown failure").msg.c_str());
	}
	return -1;
}

} // namespace

extern "C" int
merge_probe(const char *pdf_path, const char *def_file, int def_line,
    struct merge_probe *out, struct diags *diags)
{
	Where w{def_file, def_line, pdf_path ? pdf_path : "", Where::APPENDIX};

	memset(out, 0, sizeof(*out));
	int rc = guard(diags, w, [&] { probe(pdf_path, w, out); });
	if (rc != 0)
		merge_probe_free(out);
	return rc;
}

extern "C" void
merge_probe_free(struct merge_probe *p)
{
	if (p == NULL)
		return;
	merge_probe_drop(p);
	free(p->size);
	free(p->title);
	memset(p, 0, sizeof(*p));
}

extern "C" void
merge_probe_drop(struct merge_probe *p)
{
	delete static_cast<QPDF *>(p->handle);
	p->handle = NULL;
}

extern "C" int
merge_write(const char *base_path, const struct merge_part *parts,
    size_t nparts, const char *out_path, struct diags *diags)
{
	// What is being read when something fails (a copy: the parts are
	// gone by the time the failure is reported).
	Where cur{NULL, 0, base_path ? base_path : "", Where::BASE};
	bool created = false;

	int rc = guard(diags, cur, [&] {
		merge(base_path, NULL, 0, parts, nparts, out_path, cur, created,
		    diags);
	});
	if (rc != 0 && created)
		unlink(out_path);
	return rc;
}

extern "C" int
merge_write_mem(const unsigned char *base, size_t len,
    const struct merge_part *parts, size_t nparts, const char *out_path,
    struct diags *diags)
{
	Where cur{NULL, 0, "the pack's pages", Where::BASE};
	bool created = false;

	int rc = guard(diags, cur, [&] {
		merge("the pack's pages", base, len, parts, nparts, out_path, cur,
		    created, diags);
	});
	if (rc != 0 && created)
		unlink(out_path);
	return rc;
}

#ifdef SC_MERGE_MODULE
extern "C" __attribute__((visibility("default"))) const struct merge_module *
MERGE_ENTRY(const struct merge_host *h)
{
	static const struct merge_module m = {
		MERGE_ABI, merge_probe, merge_probe_free, merge_probe_drop,
		merge_write, merge_write_mem, &merge_max_pages,
	};

	host = h;
	return &m;
}
#endif
