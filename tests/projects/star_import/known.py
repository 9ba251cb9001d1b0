from helpers import *


async def main():
    notify("a")  # AIO201: 4
    render("b")
