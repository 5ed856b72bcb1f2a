"""placeholder"""
def main():
    from streamguard import generate
    for p in generate.write():
        print(p)
