#!/usr/bin/env python3
"""A one-way delay line for kernels without netem.

Creates a TUN device in the current network namespace, prints "ready <name>" once it exists,
then holds every packet the kernel routes into the device for a fixed time and writes it back,
so the packet re-enters the same router and is forwarded on. The router decrements the hop
limit on the way in and again on the way out; the line adds one back so traceroute still sees
the router once. Standard library only: python3 is on every CI machine, and Node cannot issue
the TUNSETIFF ioctl.
"""
import argparse
import collections
import ctypes
import fcntl
import os
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
PR_SET_PDEATHSIG = 1
READ_BURST = 512
MAX_PACKET = 65535


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def ipv4_checksum(header):
    total = 0
    for i in range(0, len(header), 2):
        total += (header[i] << 8) | header[i + 1]
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def restore_hop(packet):
    """Undo the extra hop-limit decrement of the detour through the TUN device."""
    version = packet[0] >> 4
    if version == 4 and len(packet) >= 20 and packet[8] < 255:
        header_len = (packet[0] & 0x0F) * 4
        packet[8] += 1
        packet[10:12] = b"\x00\x00"
        packet[10:12] = struct.pack("!H", ipv4_checksum(packet[:header_len]))
    elif version == 6 and len(packet) >= 40 and packet[7] < 255:
        packet[7] += 1
    return packet


def die_with_parent():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def prefer_cpu():
    """Timing is the point of this process: ask the scheduler to run it before bulk traffic."""
    try:
        # real-time but low priority; it sleeps in select() whenever nothing is due, and the
        # kernel's RT throttling leaves other work at least 5 % of every CPU even at line rate
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
    except (OSError, AttributeError):
        try:
            os.nice(-10)
        except OSError:
            pass


def run(fd, delay, limit):
    queue = collections.deque()
    counts = {"forwarded": 0, "dropped": 0}
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    while not stopping:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else 1.0
        try:
            readable, _, _ = select.select([fd], [], [], timeout)
        except InterruptedError:
            continue
        if readable:
            for _ in range(READ_BURST):
                try:
                    packet = os.read(fd, MAX_PACKET)
                except BlockingIOError:
                    break
                if len(queue) >= limit:
                    counts["dropped"] += 1
                else:
                    queue.append((time.monotonic() + delay, packet))
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, packet = queue.popleft()
            try:
                os.write(fd, restore_hop(bytearray(packet)))
                counts["forwarded"] += 1
            except OSError:
                counts["dropped"] += 1
    sys.stderr.write("forwarded %(forwarded)d dropped %(dropped)d\n" % counts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", required=True, help="TUN device name (<= 15 characters)")
    parser.add_argument("--delay-ms", type=float, required=True)
    parser.add_argument("--limit", type=int, default=20000, help="packets held at most; more are dropped")
    args = parser.parse_args()
    if not 0 <= args.delay_ms <= 10000 or len(args.dev) > 15 or args.limit < 1:
        parser.error("delay must be 0..10000 ms, device name <= 15 characters, limit >= 1")
    die_with_parent()
    prefer_cpu()
    fd = open_tun(args.dev)
    print("ready %s" % args.dev, flush=True)
    run(fd, args.delay_ms / 1000.0, args.limit)


if __name__ == "__main__":
    main()
