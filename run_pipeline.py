#!/usr/bin/env python3
"""policyparse from a checkout: `python run_pipeline.py parse corpus/*.txt --out output`.
The same commands as the `policyparse` console script (after `pip install -e .`)."""
import sys

try:
    from policyparse.cli import main
except ModuleNotFoundError as missing:
    if missing.name != "policyparse":
        raise
    sys.exit("policyparse is not installed: run `pip install -e .` in this folder first")

if __name__ == "__main__":
    sys.exit(main())
