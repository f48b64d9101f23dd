#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A FUSE sysfs tree that behaves like the dell_rbu driver, for the plugin
tests: devices/platform/dell_rbu/{image_type,packet_size,data} and, after
'init', class/firmware/dell_rbu/{loading,data}; with --direct also the
bundled module's image_size and image. Every write is logged, one line each,
to LOG; --fail injects one failure:

  readonly:FILE   opening FILE for writing fails with EACCES
  short:FILE      writes to FILE take half of what they are given
  stuck:FILE      writes to FILE after the first take nothing
  corrupt         the read-back differs from what was staged in one byte
  nostage         loading=0 stages nothing (the driver's callback failed)
  late            after loading=0 the first reads of data fail with ENOMEM,
                  as the distribution's driver answers until its callback
                  has made the packets
  kexec-loaded    kernel/kexec_loaded says 1 (a kexec kernel is loaded)
  slow:FILE       each write to FILE takes half a second, for a writer to be
                  killed during it
  refuse-flag     dcdbas's BIOS refuses to set token 0x5C

With --dcdbas PASSWORD, also dcdbas's calling interface (fake_dcdbas.py), its
BIOS's admin password PASSWORD ('' for none).

Runs in the foreground until unmounted (fusermount -u MOUNTPOINT).
"""

import argparse
import errno
import stat
import threading
import time

import fusepy

from fake_dcdbas import DIR as DCDBAS, FakeDcdbas

RBU = "/devices/platform/dell_rbu"
LOADER = "/class/firmware/dell_rbu"
KEXEC = "/kernel/kexec_loaded"


class FakeRbu(fusepy.Operations):
    def __init__(self, log: str, fail: str, direct: bool, dcdbas=None) -> None:
        self.mutex = threading.Lock()
        self.dcdbas = dcdbas
        self.log = open(log, "a", encoding="utf-8", buffering=1)
        self.fail = fail or ""
        self.late_reads = 0  # reads of data still to fail with ENOMEM
        self.direct = direct
        self.image_type = "mono"
        self.packet_size = 0
        self.staged = b""
        self.loader = False  # the firmware-class entries exist
        self.loading = None  # bytearray while loading=1
        self.direct_size = 0
        self.direct_buf = None
        self.now = time.time()
        self.writes_seen = {}

    def files(self) -> dict:
        # the bundled module's data is root's only, the kernel's driver's is not
        data = 0o400 if self.direct else 0o444
        files = {f"{RBU}/image_type": 0o644, f"{RBU}/packet_size": 0o644, f"{RBU}/data": data}
        if self.direct:
            files[f"{RBU}/image_size"] = 0o644
            files[f"{RBU}/image"] = 0o200
        if self.loader:
            files[f"{LOADER}/loading"] = 0o644
            files[f"{LOADER}/data"] = 0o200
        files[KEXEC] = 0o444
        if self.dcdbas is not None:
            files.update(self.dcdbas.files())
        return files

    def dirs(self) -> set:
        dirs = {"/", "/devices", "/devices/platform", RBU, "/class", "/class/firmware", "/kernel"}
        if self.loader:
            dirs.add(LOADER)
        if self.dcdbas is not None:
            dirs.add(DCDBAS)
        return dirs

    def getattr(self, path, fh=None):
        with self.mutex:
            if path in self.dirs():
                return {"st_mode": stat.S_IFDIR | 0o755, "st_nlink": 2,
                        "st_ctime": self.now, "st_mtime": self.now, "st_atime": self.now}
            mode = self.files().get(path)
            if mode is None:
                raise fusepy.FuseOSError(errno.ENOENT)
            return {"st_mode": stat.S_IFREG | mode, "st_nlink": 1, "st_size": 4096,
                    "st_ctime": self.now, "st_mtime": self.now, "st_atime": self.now}

    def readdir(self, path, fh):
        with self.mutex:
            names = {".", ".."}
            for p in list(self.files()) + list(self.dirs()):
                if p != path and p.rsplit("/", 1)[0] == (path if path != "/" else ""):
                    names.add(p.rsplit("/", 1)[1])
            return sorted(names)

    def open(self, path, flags):
        name = path.rsplit("/", 1)[1]
        with self.mutex:
            if path not in self.files():
                raise fusepy.FuseOSError(errno.ENOENT)
            if flags & (1 | 2) and self.fail == f"readonly:{name}":
                self.log.write(f"{name} EACCES\n")
                raise fusepy.FuseOSError(errno.EACCES)
        return 0

    def truncate(self, path, length, fh=None):
        return 0

    def read(self, path, size, offset, fh):
        with self.mutex:
            if path.startswith(DCDBAS + "/"):
                try:
                    data = self.dcdbas.read(path.rsplit("/", 1)[1])
                except OSError as e:
                    raise fusepy.FuseOSError(e.errno)
                return data[offset:offset + size]
            if path == f"{RBU}/data":
                if self.late_reads > 0:
                    self.late_reads -= 1
                    raise fusepy.FuseOSError(errno.ENOMEM)
                data = self.staged
                if self.fail == "corrupt" and data:
                    data = bytes([data[0] ^ 0xFF]) + data[1:]
            elif path == f"{RBU}/image_type":
                data = (self.image_type + "\n").encode()
            elif path == f"{RBU}/packet_size":
                data = f"{self.packet_size}\n".encode()
            elif path == f"{RBU}/image_size":
                data = f"{self.direct_size}\n".encode()
            elif path == f"{LOADER}/loading":
                data = b"1\n" if self.loading is not None else b"0\n"
            elif path == KEXEC:
                data = b"1\n" if self.fail == "kexec-loaded" else b"0\n"
            else:
                raise fusepy.FuseOSError(errno.EACCES)
            return data[offset:offset + size]

    def write(self, path, buf, offset, fh):
        name = path.rsplit("/", 1)[1]
        with self.mutex:
            if path.startswith(DCDBAS + "/"):
                try:
                    self.dcdbas.write(name, bytes(buf), offset)
                except OSError as e:
                    raise fusepy.FuseOSError(e.errno)
                if name != "smi_data":
                    self.log.write(f"{path[1:]} {bytes(buf).decode(errors='replace').strip()}\n")
                return len(buf)
            taken = len(buf)
            self.writes_seen[path] = self.writes_seen.get(path, 0) + 1
            if self.fail == f"short:{name}":
                taken = max(1, len(buf) // 2)
                if not (path.endswith("/data") or path.endswith("/image")):
                    # the driver acts on the whole value but says it took less
                    self.log.write(f"{path[1:]} {bytes(buf).decode(errors='replace').strip()}\n")
                    self._write(path, bytes(buf), offset)
                    return taken
            if self.fail == f"slow:{name}":
                time.sleep(0.5)
            if self.fail == f"stuck:{name}" and self.writes_seen[path] > 1:
                self.log.write(f"{path[1:]} stuck\n")
                return 0
            buf = bytes(buf[:taken])
            if path.endswith("/data") or path.endswith("/image"):
                self.log.write(f"{path[1:]} {len(buf)}@{offset}\n")
            else:
                self.log.write(f"{path[1:]} {buf.decode(errors='replace').strip()}\n")
            self._write(path, buf, offset)
            return taken

    def _write(self, path, buf, offset):
        value = buf.decode(errors="replace").strip()
        if path == f"{RBU}/image_type":
            if value not in ("mono", "packet", "init"):
                raise fusepy.FuseOSError(errno.EINVAL)
            self.staged = b""
            if value == "init":
                self.loader = True
            else:
                self.image_type = value
        elif path == f"{RBU}/packet_size":
            self.packet_size = int(value)
            self.staged = b""
        elif path == f"{LOADER}/loading":
            if value == "1":
                self.loading = bytearray()
            elif value == "0":
                if self.loading is not None and self.fail != "nostage":
                    self.staged = bytes(self.loading)
                    if self.fail == "late":
                        self.late_reads = 3
                self.loading = None
                self.loader = False
            elif value == "-1":
                self.loading = None
                self.loader = False
        elif path == f"{LOADER}/data":
            if self.loading is None:
                raise fusepy.FuseOSError(errno.EIO)
            self.loading[offset:offset + len(buf)] = buf
        elif path == f"{RBU}/image_size":
            self.direct_size = int(value)
            self.direct_buf = bytearray() if self.direct_size else None
            self.staged = b""
        elif path == f"{RBU}/image":
            if self.direct_buf is None or offset != len(self.direct_buf):
                self.direct_buf = None
                raise fusepy.FuseOSError(errno.EINVAL)
            self.direct_buf += buf
            if len(self.direct_buf) == self.direct_size:
                if self.fail != "nostage":
                    self.staged = bytes(self.direct_buf)
                self.direct_buf = None
                self.direct_size = 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mountpoint")
    parser.add_argument("log")
    parser.add_argument("--fail", default="")
    parser.add_argument("--direct", action="store_true")
    parser.add_argument("--dcdbas", default=None)
    args = parser.parse_args()
    dcdbas = None
    if args.dcdbas is not None:
        dcdbas = FakeDcdbas(args.dcdbas, refuse_flag=args.fail == "refuse-flag")
    fusepy.FUSE(FakeRbu(args.log, args.fail, args.direct, dcdbas), args.mountpoint,
                foreground=True, nothreads=True, direct_io=True)


if __name__ == "__main__":
    main()
