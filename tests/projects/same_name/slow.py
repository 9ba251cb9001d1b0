def process(item):
    return item
