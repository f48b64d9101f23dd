#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A guest's RAM at its warm reset, over QMP.

QEMU runs with `-action reboot=shutdown,shutdown=pause`: the reset pauses
it instead of restarting the guest. With `-m 4G` on the pc machine RAM is
3 GiB low and 1 GiB at 4 GiB (LOW_MIB and HIGH_MIB say otherwise, as
`-machine pc,max-ram-below-4g=` sets it); the dump is one sparse file whose
offsets are physical addresses.

  qmp_ram.py SOCKET DUMP [TIMEOUT [LOW_MIB HIGH_MIB]]
      wait for the reset, dump, quit QEMU
"""

import json
import os
import socket
import sys
import time

RAM_LOW = 3 << 30
RAM_HIGH = 1 << 30
RAM_HIGH_BASE = 4 << 30


class Qmp:
    def __init__(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.file = self.sock.makefile("rwb")
        json.loads(self.file.readline())
        self.call("qmp_capabilities")

    def call(self, command: str, **arguments) -> dict:
        msg = {"execute": command}
        if arguments:
            msg["arguments"] = arguments
        self.file.write(json.dumps(msg).encode() + b"\n")
        self.file.flush()
        while True:
            reply = json.loads(self.file.readline())
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise RuntimeError(f"QMP {command}: {reply['error']}")

    def reset_seen(self) -> bool:
        status = self.call("query-status")
        return status.get("status") == "shutdown" and not status.get("running")

    def wait_reset(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.reset_seen():
                return True
            time.sleep(1)
        return False

    def dump_ram(self, path: str, low: int = RAM_LOW, size_high: int = RAM_HIGH) -> None:
        high = path + ".high"
        self.call("pmemsave", val=0, size=low, filename=path)
        self.call("pmemsave", val=RAM_HIGH_BASE, size=size_high, filename=high)
        with open(high, "rb") as src, open(path, "r+b") as dst:
            dst.seek(RAM_HIGH_BASE)
            while True:
                chunk = src.read(16 << 20)
                if not chunk:
                    break
                dst.write(chunk)
        os.unlink(high)

    def quit(self) -> None:
        try:
            self.call("quit")
        except (OSError, ValueError, RuntimeError):
            pass


def main() -> int:
    qmp = Qmp(sys.argv[1])
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 600
    if not qmp.wait_reset(timeout):
        print(f"qmp_ram: no reset within {timeout:.0f} s", file=sys.stderr)
        qmp.quit()
        return 1
    if len(sys.argv) == 6:
        qmp.dump_ram(sys.argv[2], int(sys.argv[4]) << 20, int(sys.argv[5]) << 20)
    elif len(sys.argv) <= 4:
        qmp.dump_ram(sys.argv[2])
    else:
        print("usage: qmp_ram.py SOCKET DUMP [TIMEOUT [LOW_MIB HIGH_MIB]]", file=sys.stderr)
        qmp.quit()
        return 2
    qmp.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
