from missing_dependency import fetch as fetch_wrapped
from no_such_module import fetch as fetch_missing
from syntax_error import fetch
from star_import_of_nothing import fetch as fetch_nothing


async def main():
    fetch()
    fetch_missing()
    fetch_wrapped()
    fetch_nothing()
