from helpers import *
from not_installed_anywhere import *


async def main():
    # The second star import may rebind `notify` at run time.
    notify("a")
