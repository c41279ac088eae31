#!/usr/bin/env python3
"""moto_server with CloudFormation's SAM transform (see moto_sam_transform.py).

Usage: moto_sam_server.py [moto_server options, e.g. -H 127.0.0.1 -p PORT]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import moto_sam_transform  # noqa: E402
from moto.server import main as moto_main  # noqa: E402

if __name__ == "__main__":
    moto_sam_transform.patch()
    moto_main(sys.argv[1:])
