#!/usr/bin/env python3
"""policyparse from a checkout: `python run_pipeline.py parse corpus/*.txt --out output`.
The same commands as the `policyparse` console script."""
import sys

from policyparse.cli import main

if __name__ == "__main__":
    sys.exit(main())
