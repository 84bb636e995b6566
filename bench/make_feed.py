"""Synthetic large RSS feed from a real seed feed (for benchmarks).

Usage: python ../shared/bench/make_feed.py SEED.xml N OUT.xml

The seed's <item> blocks are replicated round-robin until there are N items.
Each copy i gets a unique title, link/guid, post-id, DOI and pubDate, and its
last <category> gets one of 200 variants (so the tag vocabulary grows a
little with N, like a real site's). Everything else (content:encoded HTML,
other categories, authors, journal) is copied verbatim, so per-item size and
markup are those of the real feed.
"""

import email.utils
import re
import sys
from datetime import timedelta

DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>&]+")


def split_feed(text):
    start = text.index("<item>")
    end = text.rindex("</item>") + len("</item>")
    head = text[:start]
    body = text[start:end]
    tail = text[end:]
    items = [b + "</item>" for b in body.split("</item>") if "<item>" in b]
    return head, items, tail


def variant(item, i):
    title = re.search(r"<title>(.*?)</title>", item, re.S).group(1)
    link = re.search(r"<link>(.*?)</link>", item, re.S).group(1).strip()
    new_link = link.rstrip("/") + f"-{i}/"
    out = item.replace(link, new_link)
    out = out.replace(f"<title>{title}</title>", f"<title>{title} [{i}]</title>", 1)
    for doi in set(DOI.findall(item)):
        out = out.replace(doi, f"{doi}.{i}")
    out = re.sub(r"(<post-id[^>]*>)\d+(</post-id>)", rf"\g<1>{1_000_000 + i}\g<2>", out)
    m = re.search(r"<pubDate>(.*?)</pubDate>", out)
    when = email.utils.parsedate_to_datetime(m.group(1)) - timedelta(minutes=i)
    out = out.replace(m.group(0), f"<pubDate>{email.utils.format_datetime(when)}</pubDate>")
    cats = list(re.finditer(r"<category><!\[CDATA\[(.*?)\]\]></category>", out))
    if cats:
        last = cats[-1]
        new = f"<category><![CDATA[{last.group(1)} {i % 200}]]></category>"
        out = out[: last.start()] + new + out[last.end() :]
    return out


def main():
    seed, n, dest = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(seed, encoding="utf-8") as f:
        head, items, tail = split_feed(f.read())
    with open(dest, "w", encoding="utf-8") as f:
        f.write(head)
        for i in range(n):
            f.write(variant(items[i % len(items)], i))
            f.write("\n\t")
        f.write(tail)


if __name__ == "__main__":
    main()
