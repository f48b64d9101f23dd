# SPDX-License-Identifier: LGPL-2.1-or-later
"""A QEMU machine driven as its owner would: a root shell on the serial
console, and at the warm reset (which pauses QEMU) its RAM dumped over QMP."""

import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "helpers"))
from qmp_ram import Qmp  # noqa: E402

class MachineError(Exception):
    pass


class MachinePanic(MachineError):
    """The guest's kernel panicked before its shell came up."""


def plain(raw: bytes) -> str:
    """Console bytes as text, without carriage returns and terminal escapes."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw.decode(errors="replace"))
    # a progress line redrawn after carriage returns shows its last state
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        parts = [p for p in line.split("\r") if p.strip()]
        lines.append(parts[-1] if parts else "")
    return "\n".join(lines)


class Machine:
    def __init__(self, work: str, name: str, qemu_args: list, console_log: str) -> None:
        self.serial_path = os.path.join(work, f"{name}.serial")
        self.marks = {}
        self.qmp_path = os.path.join(work, f"{name}.qmp")
        for path in (self.serial_path, self.qmp_path):
            if os.path.exists(path):
                os.unlink(path)
        self.log = open(console_log, "wb")  # pylint: disable=consider-using-with
        self.buf = b""
        self.lock = threading.Condition()
        argv = ["timeout", "1500", "qemu-system-x86_64",
                "-chardev", f"socket,id=ser0,path={self.serial_path},server=on,wait=on",
                "-serial", "chardev:ser0",
                "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
                "-action", "reboot=shutdown,shutdown=pause"] + qemu_args
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT)  # pylint: disable=consider-using-with
        self.serial = self._connect(self.serial_path)
        threading.Thread(target=self._reader, daemon=True).start()
        self.qmp_sock = None

    def _connect(self, path: str) -> socket.socket:
        for _ in range(300):
            if self.proc.poll() is not None:
                raise MachineError(f"QEMU exited with {self.proc.returncode}")
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(path)
                return sock
            except OSError:
                time.sleep(0.1)
        raise MachineError(f"no QEMU socket at {path}")

    def _reader(self) -> None:
        while True:
            try:
                data = self.serial.recv(65536)
            except OSError:
                data = b""
            with self.lock:
                if not data:
                    self.buf += b"\0EOF"
                    self.lock.notify_all()
                    return
                self.log.write(data)
                self.log.flush()
                self.buf += data
                self.lock.notify_all()

    def _wait_for(self, pattern: bytes, timeout: float):
        regex = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                m = regex.search(self.buf)
                if m:
                    self.buf = self.buf[m.end():]
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or self.buf.endswith(b"\0EOF"):
                    return None
                self.lock.wait(min(left, 1.0))

    def expect(self, pattern: str, timeout: float):
        """The console's next match of pattern since the last command, or None."""
        return self._wait_for(pattern.encode(), timeout)

    def _send(self, text: str) -> None:
        self.serial.sendall(text.encode())

    def login(self, timeout: float = 600) -> None:
        """Waits for the autologin shell and makes its output plain."""
        nonce = secrets.token_hex(4)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # the answer differs from the typed text, which the tty echoes
            self._send(f"echo READY$((6*7)){nonce}\n")
            if self._wait_for(rf"READY42{nonce}".encode(), 5):
                break
            with self.lock:
                if b"Kernel panic" in self.buf:
                    raise MachinePanic("the kernel panicked before the shell")
        else:
            raise MachineError("no shell on the serial console")
        self._send("stty -echo -onlcr; bind 'set enable-bracketed-paste off'; "
                   "export PS1= PS2= TERM=dumb NO_COLOR=1 LANG=C.UTF-8 PAGER=cat SYSTEMD_PAGER=; "
                   "set -o pipefail\n")
        self.run("true")

    def run(self, cmd: str, timeout: float = 600):
        """Runs cmd in the console shell; returns (exit code, output)."""
        nonce = secrets.token_hex(6)
        with self.lock:
            self.buf = b""
        self._send(f"{{ {cmd} ; }} </dev/null 2>&1 | cat; echo @{nonce}@$?@\n")
        m = self._wait_for(rf"@{nonce}@(\d+)@\r?\n".encode(), timeout)
        if m is None:
            raise MachineError(f"'{cmd}' gave no answer within {timeout:.0f} s")
        return int(m.group(1)), plain(m.string[:m.start()])

    def run_until_reset(self, cmd: str, timeout: float, answers: dict,
                        marks: tuple = ()) -> str:
        """Runs cmd on the terminal, as its user would type it, answering
        each prompt in answers once; it must end in a warm reset (QEMU then
        pauses). Returns its console output. self.marks holds the seconds
        (0.05 s steps) from the command to the first sight of each of marks,
        and to "reset"."""
        nonce = secrets.token_hex(6)
        with self.lock:
            self.buf = b""
        t0 = time.monotonic()
        self.marks = {}
        self._send(f"{cmd}; echo @{nonce}@$?@\n")
        pending = dict(answers)
        deadline = t0 + timeout
        while time.monotonic() < deadline:
            status = self.qmp("query-status")
            with self.lock:
                out = self.buf
            for mark in marks:
                if mark not in self.marks and mark.encode() in out:
                    self.marks[mark] = time.monotonic() - t0
            for prompt, answer in list(pending.items()):
                if prompt.encode() in out:
                    self._send(answer + "\n")
                    del pending[prompt]
            if status.get("status") == "shutdown" and not status.get("running"):
                self.marks["reset"] = time.monotonic() - t0
                return plain(out)
            # the restart goes on in systemd after the command has ended
            m = re.search(rf"@{nonce}@(\d+)@".encode(), out)
            if m and m.group(1) != b"0":
                raise MachineError(f"'{cmd}' failed with {m.group(1).decode()}:\n"
                                   + plain(out[:m.start()]))
            time.sleep(0.05 if marks else 1)
        raise MachineError(f"the machine did not restart within {timeout:.0f} s")

    def qmp(self, command: str, **arguments) -> dict:
        if self.qmp_sock is None:
            self.qmp_sock = Qmp(self.qmp_path)
        return self.qmp_sock.call(command, **arguments)

    def dump_ram(self, path: str) -> None:
        """All RAM as one sparse file whose offsets are physical addresses."""
        self.qmp("query-status")
        self.qmp_sock.dump_ram(path)

    def quit(self) -> None:
        try:
            if self.proc.poll() is None:
                self.qmp("quit")
        except (MachineError, OSError, ValueError, RuntimeError):
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.serial.close()
        self.log.close()
