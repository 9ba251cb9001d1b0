async def notify(user):
    return user


def render(user):
    return str(user)
