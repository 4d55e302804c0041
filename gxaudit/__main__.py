import sys

from gxaudit.cli import main

sys.exit(main())
