"""textbox: draws a box around text."""


def box(text):
    line = "+" + "-" * (len(text) + 2) + "+"
    return f"{line}\n| {text} |\n{line}"
