# unpack with `head` first, then ``rest``
*head, last = [1, 2, 3]
def total(*numbers):
    return sum(numbers)
*rest, = head
print("* a bullet, as Markdown writes it")
print("*bold* and a `quoted` word")
print(total(*head), last, rest)
