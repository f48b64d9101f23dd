#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The README's fleet recipe: a key made with certtool, cabinets and signed
metadata made by dell-rbu-cab, served over HTTP, and on an emulated Dell the
stock fwupd with the certificate in /etc/pki/fwupd-metadata and a download
remote. The signed metadata is taken and the update stages and arms; metadata
that was changed after signing, or signed by a key the machine does not
trust, is refused and nothing is staged; a cabinet swapped on the server is
refused by the daemon's fwupdmgr for its checksum."""

import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
from fwupd_env import BUILD_DIR, SHARED_TESTDATA, check, main  # noqa: E402
from rbu_machine import Machine, dell_spec  # noqa: E402
from rbu_packets import fresh_set_id  # noqa: E402

HDR = os.path.join(SHARED_TESTDATA, "hdr")
A10 = os.path.join(HDR, "system_bios_0x1028_0x0152_version_a10.hdr")
MLB208 = os.path.join(HDR, "MLB-000208.HDR")
A10_CAB = "system_bios_0x1028_0x0152_version_a10.cab"
FWUPD_DAEMON = os.environ.get("FWUPD_DAEMON", "/usr/libexec/fwupd/fwupd")
TEMPLATE = 'cn = "Example site Dell BIOS"\nca\ncert_signing_key\nsigning_key\nexpiration_days = 3650\n'


def run(*argv, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def make_key(d: str) -> None:
    """The README's commands: a self-signed certificate and its key."""
    os.makedirs(d)
    with open(os.path.join(d, "site.tmpl"), "w", encoding="utf-8") as f:
        f.write(TEMPLATE)
    for argv in (["certtool", "--generate-privkey", "--outfile", "site.key"],
                 ["certtool", "--generate-self-signed", "--load-privkey", "site.key",
                  "--template", "site.tmpl", "--outfile", "site.pem"]):
        out = run(*argv, cwd=d)
        check(out.returncode == 0, f"{' '.join(argv[:2])} ({os.path.basename(d)})"
              + ("" if out.returncode == 0 else f": {out.stderr.strip()}"))


def cab_tool(*args) -> subprocess.CompletedProcess:
    return run(os.path.join(BUILD_DIR, "tools", "dell-rbu-cab", "dell-rbu-cab"),
               "--name", "Example Model", *args)


def publish(site: str, keys: str, *images) -> None:
    out = cab_tool("-o", site, "-d", "2006-01-01", "--force", "--sign", os.path.join(keys, "site.pem"),
                   "--key", os.path.join(keys, "site.key"), "--metadata", *images)
    check(out.returncode == 0 and "firmware.xml.gz" in out.stdout,
          f"dell-rbu-cab --sign --key --metadata: {out.stdout.strip()} {out.stderr.strip()}")


class Server:
    """The site's web server, serving one directory."""

    def __init__(self, root: str) -> None:
        handler = functools.partial(_QuietHandler, directory=root)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class Fleet:
    """An emulated Dell of the fleet: the README's remote and trusted
    certificate in its /etc, and the stock fwupd daemon (on a private bus,
    answering fwupdmgr on a socket of its own) with this build's plugins."""

    def __init__(self, tmp: str, name: str, url: str, trusted: str) -> None:
        self.tmp = os.path.join(tmp, name)
        self.m = Machine(self.tmp, dell_spec(0x152, True))
        self.bus = self.daemon = self.log = None
        try:
            self._start(url, trusted)
        except BaseException:
            self.close()  # the FUSE mount too, or the temporary directory cannot go
            raise

    def _start(self, url: str, trusted: str) -> None:
        etc = os.path.join(self.tmp, "etc")
        os.makedirs(os.path.join(etc, "fwupd", "remotes.d"))
        os.makedirs(os.path.join(etc, "pki", "fwupd-metadata"))
        shutil.copyfile(trusted, os.path.join(etc, "pki", "fwupd-metadata", "dell-bios-site.pem"))
        with open(os.path.join(etc, "fwupd", "remotes.d", "dell-bios.conf"), "w", encoding="utf-8") as f:
            f.write(f"[fwupd Remote]\nEnabled=true\nTitle=Dell BIOS\n"
                    f"MetadataURI={url}/firmware.xml.gz\nApprovalRequired=false\n")
        self.env = dict(self.m.tool.env)
        bus = os.path.join(self.tmp, "system_bus_socket")
        self.env.update({"FWUPD_SYSCONFDIR": etc,
                         "FWUPD_DBUS_SOCKET": os.path.join(self.tmp, "fwupd.sock"),
                         "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={bus}"})
        # polkit is asked on the system bus; with no polkitd there, root may
        self.bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", f"--address=unix:path={bus}"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.log = open(os.path.join(self.tmp, "fwupd.log"), "w", encoding="utf-8")
        for _ in range(100):
            if os.path.exists(bus):
                break
            time.sleep(0.05)
        self.daemon = subprocess.Popen(self.m.tool.argv([FWUPD_DAEMON, "-v"]), env=self.env,
                                       stdin=subprocess.DEVNULL, stdout=self.log,
                                       stderr=subprocess.STDOUT)
        for _ in range(300):
            if self.mgr("get-devices").returncode == 0:
                break
            if self.daemon.poll() is not None:
                raise RuntimeError(f"fwupd exited {self.daemon.returncode}: see {self.log.name}")
            time.sleep(0.1)
        else:
            raise RuntimeError(f"fwupd did not answer fwupdmgr in 30 s: see {self.log.name}")

    def mgr(self, *args) -> subprocess.CompletedProcess:
        return subprocess.run(["fwupdmgr", *args], env=self.env, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=60, check=False)

    def offered(self) -> list:
        out = self.mgr("get-updates", "--json").stdout
        ups = json.loads(out) if out.strip().startswith("{") else {}
        return [r["Version"] for d in ups.get("Devices", []) for r in d.get("Releases", [])]

    def staged_releases(self) -> list:
        """The versions the daemon's System BIOS device carries as releases."""
        out = self.mgr("get-devices", "--json").stdout
        devices = json.loads(out).get("Devices", []) if out.strip().startswith("{") else []
        return [r.get("Version") for d in devices if d.get("Plugin") == "dell_rbu"
                for r in d.get("Releases", [])]

    def nothing_staged(self) -> bool:
        return (self.m.staged() == b"" and not self.m.flag_active()
                and not [w for w in self.m.writes() if "/data" in w or "loading" in w])

    def close(self) -> None:
        for proc in (self.daemon, self.bus):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
        if self.log is not None:
            self.log.close()
        self.m.close()

    def __enter__(self):
        return self

    def __exit__(self, *args) -> None:
        self.close()


def last_line(out: subprocess.CompletedProcess) -> str:
    lines = [ln for ln in (out.stdout + out.stderr).splitlines() if ln.strip() and "…" not in ln]
    return lines[-1] if lines else ""


def staged_a10(m: Machine) -> bool:
    with open(A10, "rb") as f:
        try:
            fresh_set_id(f.read(), m.staged())
            return True
        except ValueError as e:
            print(f"# {e}")
            return False


def test_signed(tmp: str, keys: str, url: str) -> None:
    with Fleet(tmp, "good", url, os.path.join(keys, "site.pem")) as f:
        out = f.mgr("refresh", "--force")
        check(out.returncode == 0, f"fwupdmgr refresh takes the signed metadata: {last_line(out)}")
        check(f.offered() == ["A10"], "fwupdmgr get-updates offers A10 to system 0x0152, nothing else")
        out = f.mgr("update", "-y", "--no-reboot-check")
        check(out.returncode == 0 and staged_a10(f.m) and f.m.flag_active(),
              f"fwupdmgr update stages A10 and sets token 0x005C: {last_line(out)}")
        check(f.staged_releases() == ["A10"],
              f"the armed image is the device's one release: {f.staged_releases()}")


def refused_metadata(tmp: str, name: str, url: str, trusted: str, what: str) -> None:
    with Fleet(tmp, name, url, trusted) as f:
        out = f.mgr("refresh", "--force")
        check(out.returncode != 0, f"{what}: fwupdmgr refresh refuses it: {last_line(out)}")
        check(f.offered() == [], f"{what}: nothing is offered")
        out = f.mgr("update", "-y", "--no-reboot-check")
        check(f.nothing_staged(), f"{what}: fwupdmgr update stages nothing and sets no flag")


def refused_cabinet(tmp: str, url: str, trusted: str, site: str) -> None:
    """A10 made again without the key and put in place of the signed one."""
    other = os.path.join(tmp, "unsigned")
    os.makedirs(other)
    check(cab_tool("-o", other, "-d", "2007-01-01", A10).returncode == 0, "an unsigned cabinet of A10")
    shutil.copyfile(os.path.join(other, A10_CAB), os.path.join(site, A10_CAB))
    with Fleet(tmp, "swapped", url, trusted) as f:
        out = f.mgr("refresh", "--force")
        check(out.returncode == 0 and f.offered() == ["A10"], "the signed metadata still offers A10")
        out = f.mgr("update", "-y", "--no-reboot-check")
        check(out.returncode != 0 and "checksum" in out.stdout + out.stderr,
              f"a cabinet swapped on the server is refused for its checksum: {last_line(out)}")
        check(f.nothing_staged(), "and nothing is staged, no flag set")
        out = f.mgr("install", "--no-reboot-check", "-y", os.path.join(site, A10_CAB))
        check(out.returncode != 0 and f.nothing_staged(),
              f"installed by hand it is refused as unsigned: {last_line(out)}")


def forge(site: str) -> None:
    """A new SHA-256 of the changed metadata in its Jcat, beside the PKCS#7
    signature of the metadata as it was signed."""
    jcat = os.path.join(site, "firmware.xml.gz.jcat")
    for argv in (["jcat-tool", "export", "--prefix", site, jcat],
                 ["rm", jcat],
                 ["jcat-tool", "self-sign", "--kind", "sha256", jcat, "firmware.xml.gz"],
                 ["jcat-tool", "import", jcat, "firmware.xml.gz", os.path.join(site, "firmware.xml.gz.p7b")]):
        out = run(*argv, cwd=site)
        check(out.returncode == 0, f"forging: {' '.join(argv[:2])}" + ("" if out.returncode == 0 else out.stderr))


def test_tool_refusals(tmp: str, keys: str) -> None:
    d = os.path.join(tmp, "refusals")
    os.makedirs(d)
    pem, key = os.path.join(keys, "site.pem"), os.path.join(keys, "site.key")
    for args, fragment in ((["--metadata"], "--metadata needs --sign CERT and --key KEY"),
                           (["--sign", pem, A10], "--sign CERT and --key KEY go together"),
                           (["--sign", pem, "--key", key, "--metadata"], "holds no cabinet")):
        out = cab_tool("-o", d, *args)
        check(out.returncode == 1 and fragment in out.stderr and os.listdir(d) == [],
              f"dell-rbu-cab {' '.join(os.path.basename(a) for a in args)}: '{fragment}', nothing written")
    out = cab_tool("-o", d, "--sign", pem, "--key", os.path.join(os.path.dirname(keys), "other-keys", "site.key"),
                   "--metadata", A10)
    check(out.returncode == 1 and "is the key the certificate's?" in out.stderr and os.listdir(d) == [],
          f"a key that is not the certificate's is refused, nothing written: {out.stderr.strip()}")
    check(cab_tool("-o", d, A10).returncode == 0, "an unsigned cabinet")
    out = cab_tool("-o", d, "--sign", pem, "--key", key, "--metadata")
    check(out.returncode == 1 and "is not signed" in out.stderr
          and not os.path.exists(os.path.join(d, "firmware.xml.gz")),
          f"--metadata refuses a folder with an unsigned cabinet: {out.stderr.strip()}")


def test() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # what passed shows even after a timeout
    for tool in ("certtool", "jcat-tool", "dbus-daemon", "fwupdmgr", FWUPD_DAEMON):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed: ./tools/setup.sh installs it")
    with tempfile.TemporaryDirectory(prefix="rbu-fleet-") as tmp:
        keys = os.path.join(tmp, "keys")
        other = os.path.join(tmp, "other-keys")
        make_key(keys)
        make_key(other)
        test_tool_refusals(tmp, keys)
        site = os.path.join(tmp, "site")
        os.makedirs(site)
        publish(site, keys, A10, MLB208)
        trusted = os.path.join(keys, "site.pem")
        server = Server(site)
        try:
            test_signed(tmp, keys, server.url)
            refused_metadata(tmp, "untrusted", server.url, os.path.join(other, "site.pem"),
                             "metadata signed by a key the machine does not trust")
            with gzip.open(os.path.join(site, "firmware.xml.gz"), "rb") as f:
                xml = f.read()
            with gzip.open(os.path.join(site, "firmware.xml.gz"), "wb") as f:
                f.write(xml.replace(b'<release version="A10"', b'<release version="A11"'))
            refused_metadata(tmp, "tampered", server.url, trusted, "metadata changed after it was signed")
            forge(site)
            refused_metadata(tmp, "forged", server.url, trusted,
                             "changed metadata with its checksum made again beside the old signature")
            publish(site, other, A10, MLB208)
            refused_metadata(tmp, "resigned", server.url, trusted, "metadata signed again with another key")
            publish(site, keys, A10, MLB208)
            refused_cabinet(tmp, server.url, trusted, site)
        finally:
            server.close()


main(test)
