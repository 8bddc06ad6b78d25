"""python -m cleaner"""

import sys

from .cli import main

if __name__ == "__main__":  # a process spawned by multiprocessing (Dask's workers) imports this module again
    sys.exit(main())
