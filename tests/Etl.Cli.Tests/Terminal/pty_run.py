#!/usr/bin/env python3
# Runs a command on a pseudo-terminal of a given size and copies everything it draws to stdout, byte for byte.
# Usage: pty_run.py COLUMNS ROWS COMMAND [ARG...]; exits with the command's exit code.
import fcntl
import os
import struct
import subprocess
import sys
import termios


def main():
    columns, rows, command = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    master, slave = os.openpty()
    # The size is set before the command starts, so its first look at the terminal sees it.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    out = sys.stdout.buffer
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every holder of the terminal's other end has closed it
            break
        if not chunk:
            break
        out.write(chunk)
        out.flush()
    os.close(master)
    sys.exit(process.wait())


if __name__ == "__main__":
    main()
