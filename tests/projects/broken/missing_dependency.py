from this_dependency_is_missing import wrap


@wrap
async def fetch():
    return None
