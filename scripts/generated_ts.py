"""Helpers for the scripts that write generated TypeScript facts (resourceless-actions.py, sam-transform-data.py)."""


def quoted(text):
    """A TypeScript single-quoted string literal of `text`."""
    return "'" + text.replace('\\', '\\\\').replace("'", "\\'") + "'"


def word_list_entry(key, words):
    """The lines of a `'key': 'word word ...'` object entry, its words split over concatenated strings so that lines stay
    within the linter's 150 characters."""
    chunks, chunk = [], ''
    for word in words:
        if chunk and len(chunk) + len(word) + 1 > 120:
            chunks.append(chunk + ' ')
            chunk = word
        else:
            chunk = f'{chunk} {word}' if chunk else word
    chunks.append(chunk)
    lines = [f"  '{key}': '{chunks[0]}'" + ('' if len(chunks) == 1 else ' +')]
    for i, part in enumerate(chunks[1:], 1):
        lines.append(f"    '{part}'" + (' +' if i < len(chunks) - 1 else ''))
    lines[-1] += ','
    return lines
