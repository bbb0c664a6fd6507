"""An SMTP server on loopback for the newsletter benchmark, in its own process so that it does
not share an interpreter with what it measures. It counts messages per recipient and, when it
receives SIGTERM, writes them to the report file: messages, distinct recipients, duplicates, and
the times of the first and the last message.

    python -m bench.smtpsink PORT REPORT.json
"""

import json
import signal
import sys
import time
from collections import Counter

from aiosmtpd.controller import Controller


class CountingHandler:
    def __init__(self):
        self.per_recipient = Counter()
        self.messages = 0
        self.first = self.last = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's name for the hook
        now = time.time()
        self.first = self.first or now
        self.last = now
        self.messages += 1
        self.per_recipient.update(envelope.rcpt_tos)
        return "250 Message accepted"

    def report(self):
        return {
            "messages": self.messages,
            "recipients": len(self.per_recipient),
            "duplicates": sum(count - 1 for count in self.per_recipient.values() if count > 1),
            "first": self.first,
            "last": self.last,
        }


def main():
    port, report_path = int(sys.argv[1]), sys.argv[2]
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()
    with open(report_path, "w") as report:
        json.dump(handler.report(), report)


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    main()
