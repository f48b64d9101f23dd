# SPDX-License-Identifier: LGPL-2.1-or-later
"""dcdbas's sysfs files with a Dell BIOS behind them, for the FUSE sysfs of
the plugin tests: calling-interface token reads and writes, and a BIOS admin
password kept as ASCII (class 10 selects 0, 3 and 4) whose key every token
write needs. The buffer behaves as dcdbas's does: it grows, keeping what it
held, never shrinks, and "0" in smi_request zeroes it."""

import errno
import struct

DIR = "/devices/platform/dcdbas"
MAGIC = 0x534D4931  # "SMI1"
HEADER = 52
PHYS = 0x1F000000
MAXLEN = 32
KEY = 0xC0DE
ACTIVATE = 0x5C
CANCEL = 0x5D


class FakeDcdbas:
    def __init__(self, password: str, refuse_flag: bool = False) -> None:
        self.password = password.encode()
        self.refuse_flag = refuse_flag  # writes that set 0x5C fail
        self.buf = bytearray(HEADER)
        self.tokens = {}
        self.requests = []  # (class, select) of each call, "clear" for each clear

    def files(self) -> dict:
        return {f"{DIR}/smi_data": 0o600, f"{DIR}/smi_data_buf_size": 0o600,
                f"{DIR}/smi_data_buf_phys_addr": 0o400, f"{DIR}/smi_request": 0o200,
                f"{DIR}/token_state": 0o400}

    def read(self, name: str) -> bytes:
        if name == "smi_data":
            return bytes(self.buf)
        if name == "smi_data_buf_size":
            return f"{len(self.buf)}\n".encode()
        if name == "smi_data_buf_phys_addr":
            return f"{PHYS:x}\n".encode()
        if name == "token_state":
            return "".join(f"{k:04x}={v}\n" for k, v in sorted(self.tokens.items())).encode()
        raise OSError(errno.EACCES, name)

    def write(self, name: str, buf: bytes, offset: int) -> None:
        if name == "smi_data":
            self._grow(offset + len(buf))
            self.buf[offset:offset + len(buf)] = buf
        elif name == "smi_data_buf_size":
            self._grow(int(buf.decode().strip()))
        elif name == "smi_request":
            value = buf.decode().strip()
            if value == "0":
                self.buf[:] = bytes(len(self.buf))
                self.requests.append("clear")
            elif value == "1" and struct.unpack_from("<I", self.buf, 0)[0] == MAGIC:
                self._call()
            else:
                raise OSError(errno.EINVAL, name)
        else:
            raise OSError(errno.EACCES, name)

    def _grow(self, size: int) -> None:
        if size > len(self.buf):
            self.buf += bytes(size - len(self.buf))

    def _given(self) -> bytes:
        addr = struct.unpack_from("<I", self.buf, 0x14)[0]
        start = addr - PHYS
        if start != HEADER or len(self.buf) < start + MAXLEN:
            return b""
        return bytes(self.buf[start:start + MAXLEN])

    def _call(self) -> None:
        cls, sel, arg1, arg2, arg3 = struct.unpack_from("<HHIII", self.buf, 0x10)
        self.requests.append((cls, sel))
        res1, res2 = -2, 0
        if cls == 0 and sel == 0:
            res1, res2 = 0, self.tokens.get(arg1, 0)
        elif cls == 1 and sel == 0:
            if (self.password and arg3 != KEY) or (self.refuse_flag and arg1 == ACTIVATE):
                res1 = -1
            else:
                res1 = 0
                self.tokens[arg1] = arg2
                if arg1 == CANCEL:
                    self.tokens[ACTIVATE] = 0
        elif cls == 10 and sel == 0:
            res1, res2 = 0, 1 if self.password else 0
        elif cls == 10 and sel == 3 and self.password:
            res1, res2 = 0, 1 | (MAXLEN << 8) | (4 << 16) | (1 << 24)
        elif cls == 10 and sel == 4 and self.password:
            if self._given() == self.password.ljust(MAXLEN, b"\0"):
                res1, res2 = 0, KEY
            else:
                res1 = 2
        struct.pack_into("<ii", self.buf, 0x24, res1, res2)
