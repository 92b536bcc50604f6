#!/usr/bin/env python3
"""watch.py BIN — `scrutineer build --watch` and `pack --watch` driven as
an author would drive them, in a fresh folder: saves of the definition (a
plain write, vim's rename-and-write, a new file renamed over the old),
of a CSV and of the template, each waited for in the rebuilt PDF; a
broken definition (the last good PDF kept byte for byte, the failure
printed); a missing CSV in a folder not made yet, built once it appears;
a burst of saves; a file still open for writing; a file changed while the
build that first names it runs; a pack whose item's CSV changes;
SIGTERM and SIGINT, idle and mid-write; the usage errors.

Every wait polls, bounded by WATCH_TIMEOUT seconds (default 10): no fixed
sleep is an assertion. The checks that depend on timing repeat up to
three times and pass on the first clean run; the bug each one is there for
fails every run. Prints "ok   watch ..." or "FAIL watch ..." per check.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BIN = os.path.abspath(sys.argv[1])
TOP = os.getcwd()
LIMIT = float(os.environ.get("WATCH_TIMEOUT", "10"))
LINE = re.compile(r"^\d\d:\d\d:\d\d (built|failed)", re.M)
failed = 0


def ok(msg):
    print("ok   watch " + msg, flush=True)


def bad(msg):
    global failed
    failed = 1
    print("FAIL watch " + msg, flush=True)


def wait(cond, limit=LIMIT, step=0.005):
    end = time.monotonic() + limit
    while True:
        if cond():
            return True
        if time.monotonic() > end:
            return False
        time.sleep(step)


def text(pdf):
    r = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"],
                       capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else ""


def ino(path):
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def plain_save(path, data):
    with open(path, "w", encoding="utf-8") as f:
        f.write(data)


def rename_save(path, data):
    """A new file renamed over the old (sed -i, most editors)."""
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path)
                       + ".tmp")
    plain_save(tmp, data)
    os.rename(tmp, path)


def vim_save(path, data):
    """vim's :w with writebackup: test file 4913, the old file renamed to
    the backup, the new one written (and fsync'd), the backup removed."""
    d = os.path.dirname(path)
    probe = os.path.join(d, "4913")
    open(probe, "w").close()
    os.unlink(probe)
    os.rename(path, path + "~")
    with open(path, "w", encoding="utf-8") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.unlink(path + "~")


def backdate(top):
    """Files made a minute ago: a file changed just before a build counts
    as changed during it (watch.c), and the test counts builds."""
    t = time.time() - 60
    for d, _, fs in os.walk(top):
        for f in fs:
            os.utime(os.path.join(d, f), (t, t))


def temps(folder):
    return [f for f in os.listdir(folder) if f.startswith(".") and
            ".pdf." in f]


class Watcher:
    def __init__(self, args, log):
        self.logpath = log
        self.p = subprocess.Popen([BIN] + args + ["--watch"],
                                  stdout=subprocess.DEVNULL,
                                  stderr=open(log, "w"))

    def log(self):
        return read(self.logpath)

    def builds(self):
        return len(LINE.findall(self.log()))

    def last(self):
        m = LINE.findall(self.log())
        return m[-1] if m else None

    def stop(self, sig=signal.SIGTERM):
        if self.p.poll() is None:
            self.p.send_signal(sig)
        try:
            return self.p.wait(timeout=LIMIT)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            return None


def stopped(w, sig, folder, what, status):
    """Ends w with sig: it must die of it, leaving no temporary file."""
    rc = w.stop(sig)
    if rc == -sig and not temps(folder):
        ok("%s ends it (status %d in a shell), no temporary file" %
           (what, status))
    else:
        bad("%s: status %s, left %s" % (what, rc, temps(folder)))


def until_text(w, pdf, want, what):
    """Waits for want in the PDF's text; ok or FAIL what."""
    if wait(lambda: want in text(pdf), step=0.02):
        ok(what)
        return True
    bad("%s: \"%s\" never reached %s; the watcher said:\n%s" %
        (what, want, pdf, w.log()))
    return False


def report_checks(tmp):
    d = os.path.join(tmp, "harborough")
    shutil.copytree(os.path.join(TOP, "examples/harborough-2014"), d)
    shutil.copy(os.path.join(TOP, "templates/harborough.xml"),
                os.path.join(d, "house.xml"))
    rx, csv = os.path.join(d, "report.xml"), os.path.join(d,
                                                          "data/performance.csv")
    tpl, pdf = os.path.join(d, "house.xml"), os.path.join(d, "report.pdf")
    orig = read(rx).replace('template="harborough"', 'template="house.xml"')
    plain_save(rx, orig)
    backdate(d)

    def marked(word):
        return re.sub(r"(<section[^>]*>)", r"\1<p>Watch marker %s.</p>" % word,
                      orig, count=1)

    w = Watcher(["build", rx], os.path.join(tmp, "report.log"))
    try:
        if not wait(lambda: w.builds() >= 1 and ino(pdf) is not None):
            bad("the first build never came:\n" + w.log())
            return
        # "watching" may come a moment after the build's line.
        wait(lambda: "watching" in w.log())
        if re.search(r"^\d\d:\d\d:\d\d built \S*report\.pdf, 6 pages, \d+ ms$",
                     w.log(), re.M) and "watching" in w.log():
            ok("first build: one line with the time, PDF, pages and ms")
        else:
            bad("first build's line: " + w.log())
        first = text(pdf)
        if "Portfolio Holder" not in first or "Domestic Burglary" not in first:
            bad("the example no longer prints what this test edits")

        plain_save(rx, marked("one"))
        until_text(w, pdf, "Watch marker one", "definition saved in place")
        vim_save(rx, marked("two"))
        until_text(w, pdf, "Watch marker two", "definition saved as vim does "
                   "(renamed to a backup, written anew)")
        rename_save(rx, marked("three"))
        until_text(w, pdf, "Watch marker three", "definition saved as a new "
                   "file renamed over the old")
        base = read(csv)
        plain_save(csv, base.replace("Criminal Damage", "Domestic Burglarx"))
        until_text(w, pdf, "Domestic Burglarx", "CSV saved")
        rename_save(tpl, read(tpl).replace("Portfolio Holder:",
                                           "Portfolio Keeper:"))
        until_text(w, pdf, "Portfolio Keeper", "template saved")

        # Broken: the failure printed, the last good PDF kept as it was.
        good, n = open(pdf, "rb").read(), w.builds()
        plain_save(rx, marked("three").replace("</report>", "<p>unclosed\n"
                                               "</report>"))
        if not wait(lambda: w.builds() > n):
            bad("no build after the definition broke:\n" + w.log())
        log = w.log()
        if (w.last() == "failed" and re.search(
                r"report\.xml:\d+: error: .*\n\d\d:\d\d:\d\d failed, keeping "
                r"the last good \S*report\.pdf\n", log)):
            ok("broken definition: the error with its line, then \"failed, "
               "keeping the last good report.pdf\"")
        else:
            bad("broken definition: " + log)
        if open(pdf, "rb").read() == good and not temps(d):
            ok("broken definition: the last good PDF byte-identical, no "
               "temporary file")
        else:
            bad("broken definition: the PDF changed or a temporary file "
                "was left: %s" % os.listdir(d))
        rename_save(rx, marked("four"))
        until_text(w, pdf, "Watch marker four", "fixed again: rebuilt")

        # A CSV that is not there yet, in a folder not made yet.
        n = w.builds()
        later = marked("four").replace("data/similar-areas.csv",
                                       "data/later/extra.csv")
        rename_save(rx, later)
        if (wait(lambda: w.builds() > n) and w.last() == "failed" and
                "later/extra.csv" in w.log()):
            ok("a missing CSV: the build fails and names it")
        else:
            bad("a missing CSV: " + w.log())
        os.makedirs(os.path.join(d, "data/later"))
        plain_save(os.path.join(d, "data/later/extra.csv"),
                   read(os.path.join(d, "data/similar-areas.csv"))
                   .replace("Rutland", "Rutlandx"))
        until_text(w, pdf, "Rutlandx", "the missing CSV appears (in a new "
                   "folder): rebuilt")

        # A burst of 20 quick saves: one or few builds, the last content.
        n = w.builds()
        for i in range(20):
            rename_save(csv, base.replace("Criminal Damage",
                                          "Domestic Burst%d" % i))
        if until_text(w, pdf, "Domestic Burst19", "20 quick saves: the last "
                      "one built"):
            k = w.builds() - n
            (ok if k <= 3 else bad)("20 quick saves: %d build%s" %
                                    (k, "" if k == 1 else "s"))
        # Its own PDF and temporary file sit in the watched folder: one
        # save more is one build more, not a loop.
        n = w.builds()
        rename_save(csv, base.replace("Criminal Damage", "Domestic Barrier"))
        if until_text(w, pdf, "Domestic Barrier", "one save after the burst"):
            (ok if w.builds() == n + 1 else bad)(
                "its own PDF starts no build: %d build(s) for one save" %
                (w.builds() - n))

        # Two saves 2 ms apart are one build (the quiet period).
        for trial in range(3):
            n = w.builds()
            rename_save(csv, base.replace("Criminal Damage",
                                          "Domestic QuietA%d" % trial))
            time.sleep(0.002)
            rename_save(csv, base.replace("Criminal Damage",
                                          "Domestic QuietB%d" % trial))
            if not wait(lambda: "QuietB%d" % trial in text(pdf), step=0.02):
                bad("two quick saves: never built:\n" + w.log())
                break
            k = w.builds() - n
            if k == 1:
                ok("two saves 2 ms apart: one build")
                break
            if trial == 2:
                bad("two saves 2 ms apart: %d builds, three times" % k)

        # A file renamed away and written anew 50 ms later (vim's backup on
        # a slow disk): one build, no failure in between.
        for trial in range(3):
            n = w.builds()
            os.rename(csv, csv + "~")
            time.sleep(0.05)
            plain_save(csv, base.replace("Criminal Damage",
                                         "Domestic Gone%d" % trial))
            os.unlink(csv + "~")
            if not wait(lambda: "Gone%d" % trial in text(pdf), step=0.02):
                bad("a file gone and back: never built:\n" + w.log())
                break
            k = w.builds() - n
            if k == 1 and w.last() == "built":
                ok("a file renamed away and written anew 50 ms later: one "
                   "build, no failure")
                break
            if trial == 2:
                bad("a file gone and back: %d builds, three times:\n%s" %
                    (k, w.log()[-600:]))

        # A file still open for writing is not built half written.
        for trial in range(3):
            n = w.builds()
            full = base.replace("Criminal Damage", "Domestic Slow%d" % trial)
            with open(csv, "w", encoding="utf-8") as f:
                f.write(full[:len(full) // 2])
                f.flush()
                time.sleep(0.3)
                f.write(full[len(full) // 2:])
            if not wait(lambda: "Slow%d" % trial in text(pdf), step=0.02):
                bad("a slow write: never built:\n" + w.log())
                break
            k = w.builds() - n
            if k == 1:
                ok("a file written slowly: one build, once it is closed")
                break
            if trial == 2:
                bad("a file written slowly: %d builds, three times" % k)

        # ... but one that stays open is built at last.
        n = w.builds()
        full = base.replace("Criminal Damage", "Domestic Open")
        with open(csv, "w", encoding="utf-8") as f:
            end = time.monotonic() + LIMIT
            while w.builds() == n and time.monotonic() < end:
                f.seek(0)
                f.write(full)
                f.flush()
                time.sleep(0.2)
            built_open = w.builds() > n
        (ok if built_open and "Domestic Open" in text(pdf) else bad)(
            "a file kept open and written again and again: built all the same")
    finally:
        stopped(w, signal.SIGTERM, d, "SIGTERM", 143)


def race_check(tmp):
    """A file changed while the build that first names it runs (its folder
    not watched yet) is built again."""
    d = os.path.join(tmp, "race")
    os.makedirs(os.path.join(d, "fresh"))
    rx, pdf = os.path.join(d, "report.xml"), os.path.join(d, "report.pdf")
    head = ('<report version="1"><meta><title>Race</title></meta>%s'
            '<section title="S"><p>%s</p></section></report>\n')
    plain_save(rx, head % ("", "Nothing yet."))
    plain_save(os.path.join(d, "fresh/small.csv"), "k\nRaceOld\n")
    with open(os.path.join(d, "fresh/big.csv"), "w") as f:
        f.write("v\n")
        f.write("".join("%d\n" % i for i in range(400000)))
    backdate(d)
    w = Watcher(["build", rx], os.path.join(tmp, "race.log"))
    try:
        if not wait(lambda: w.builds() >= 1):
            bad("race: the first build never came:\n" + w.log())
            return
        rename_save(rx, head % (
            '<data><csv id="small" href="fresh/small.csv"/>'
            '<csv id="big" href="fresh/big.csv"/></data>',
            'Race <value query="SELECT k FROM small"/> of <value '
            'query="SELECT count(v) FROM big"/>.'))
        fds = "/proc/%d/fd" % w.p.pid

        def reading_big():
            try:
                return any(os.readlink(os.path.join(fds, f)).endswith(
                    "fresh/big.csv") for f in os.listdir(fds))
            except OSError:
                return False
        if not wait(reading_big, step=0.0005):
            bad("race: never saw the build reading big.csv:\n" + w.log())
            return
        plain_save(os.path.join(d, "fresh/small.csv"), "k\nRaceNew\n")
        until_text(w, pdf, "Race RaceNew", "a file changed during the build "
                   "that first names it, in a folder not yet watched: rebuilt")
    finally:
        w.stop()


def sigterm_mid_write(tmp):
    """SIGTERM while a rebuild writes its PDF: no temporary file left, the
    last PDF as it was."""
    d = os.path.join(tmp, "long")
    os.makedirs(d)
    rx, csv = os.path.join(d, "report.xml"), os.path.join(d, "rows.csv")
    pdf = os.path.join(d, "report.pdf")
    plain_save(rx, '<report version="1"><meta><title>Long</title></meta>'
               '<data><csv id="rows" href="rows.csv"/></data><section '
               'title="All"><table data="rows"><column field="a"/><column '
               'field="b"/></table></section></report>\n')
    rows = "".join("Row %d,%d\n" % (i, i * 7) for i in range(4000))
    plain_save(csv, "a,b\n" + rows)
    for attempt in range(5):
        backdate(d)
        w = Watcher(["build", rx], os.path.join(tmp, "long.log"))
        if not wait(lambda: w.builds() >= 1 and w.last() == "built"):
            bad("SIGTERM mid-write: the first build never came:\n" + w.log())
            w.stop()
            return
        before, good = ino(pdf), open(pdf, "rb").read()
        rename_save(csv, "a,b\n" + rows + "Last %d,1\n" % attempt)
        seen = wait(lambda: temps(d) != [], step=0.0002)
        rc = w.stop(signal.SIGTERM)
        if not seen or ino(pdf) != before:
            continue    # the build finished first: try again
        if rc == -signal.SIGTERM and not temps(d) and \
                open(pdf, "rb").read() == good:
            ok("SIGTERM mid-write: status 143, no temporary file, the last "
               "PDF as it was")
        else:
            bad("SIGTERM mid-write: status %s, left %s" % (rc, temps(d)))
        return
    print("skip watch SIGTERM mid-write: never caught a build writing")


def pack_checks(tmp):
    d = os.path.join(tmp, "pack")
    os.makedirs(os.path.join(d, "item/data"))
    plain_save(os.path.join(d, "item/report.xml"),
               '<report version="1"><meta><title>Item</title><meeting-date>'
               '2023-12-13</meeting-date></meta><data><csv id="c" '
               'href="data/c.csv"/></data><section title="Figures"><table '
               'data="c"><column field="area"/><column field="n"/></table>'
               '</section></report>\n')
    plain_save(os.path.join(d, "item/data/c.csv"), "area,n\nPackOld,1\n")
    plain_save(os.path.join(d, "meeting.xml"),
               '<pack version="1"><meeting><organisation>Test Council'
               '</organisation><committee>Scrutiny Committee</committee>'
               '<date>2023-12-13</date></meeting><item report="item/report.xml"'
               '/></pack>\n')
    backdate(d)
    pdf = os.path.join(d, "agenda.pdf")
    w = Watcher(["pack", os.path.join(d, "meeting.xml"), "-o", pdf],
                os.path.join(tmp, "pack.log"))
    try:
        if not wait(lambda: w.builds() >= 1 and "PackOld" in text(pdf),
                    step=0.02):
            bad("pack: the first build never came:\n" + w.log())
            return
        rename_save(os.path.join(d, "item/data/c.csv"), "area,n\nPackNew,2\n")
        until_text(w, pdf, "PackNew", "pack: an item's CSV saved, the pack "
                   "rebuilt")
    finally:
        stopped(w, signal.SIGINT, d, "pack: SIGINT", 130)


def usage_checks(tmp):
    rx = os.path.join(TOP, "examples/minutes-2017/report.xml")
    for args, want in (
            (["build", rx, "--watch", "-o", "-"], "standard output"),
            (["check", rx, "--watch"], "--watch is for build and pack"),
            (["build", rx, "--watch", "--dump"], "--dump")):
        try:
            r = subprocess.run([BIN] + args, capture_output=True, text=True,
                               timeout=LIMIT)
        except subprocess.TimeoutExpired:
            bad("usage: %s ran on instead of refusing" % " ".join(args[2:]))
            continue
        (ok if r.returncode == 2 and want in r.stderr and "usage:" in
         r.stderr else bad)("usage: %s is refused (exit 2): %s" %
                            (" ".join(args[2:]), r.stderr.splitlines()[0]
                             if r.stderr else "nothing said"))


def main():
    tmp = tempfile.mkdtemp(prefix="sc-watch-")
    try:
        for check in (usage_checks, report_checks, race_check,
                      sigterm_mid_write, pack_checks):
            try:
                check(tmp)
            except Exception as e:   # a broken step is a failure, not a crash
                bad("%s: %s: %s" % (check.__name__, type(e).__name__, e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return failed


if __name__ == "__main__":
    sys.exit(main())
