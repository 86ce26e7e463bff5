/**
 * Find in a rendered report (the viewer's Find / Next): the matches of a text in the sheets'
 * text nodes, case-insensitive and with non-breaking spaces read as spaces (figures are
 * «13 996,24» with a thin or no-break space), each wrapped in <mark class="rv-find">; `show(i)`
 * makes the i-th match current and scrolls it into view; `clear()` restores the text. Works on
 * the viewer's iframe document (same origin through sandbox="allow-same-origin", no scripts).
 */
const SPACES = /[\u00a0\u202f\u2007]/g;
const MARK = "rv-find";

/** The CSS the viewer puts into the report document for matches. */
export const FIND_CSS = `mark.${MARK}{background:#fde58a;color:inherit;padding:0}mark.${MARK}.current{background:#f7a21b;outline:1px solid #c77700}`;

export class Finder {
  private marks: HTMLElement[] = [];
  current = -1;

  constructor(private readonly root: () => Element | null) {}

  get count(): number {
    return this.marks.length;
  }

  /** Marks every match of `query` (after clearing the previous ones); returns their count. */
  find(query: string): number {
    this.clear();
    const q = query.replace(SPACES, " ").trim().toLowerCase();
    const root = this.root();
    if (!q || !root) return 0;
    const doc = root.ownerDocument;
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) =>
        n.parentElement?.closest("style,script") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const nodes: Text[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
    for (const node of nodes) {
      const text = (node.data ?? "").replace(SPACES, " ").toLowerCase();
      let from = 0;
      const hits: number[] = [];
      for (let i = text.indexOf(q, from); i >= 0; i = text.indexOf(q, from)) {
        hits.push(i);
        from = i + q.length;
      }
      // Split from the end so earlier offsets stay valid.
      const local: HTMLElement[] = [];
      for (let k = hits.length - 1; k >= 0; k--) {
        const start = hits[k];
        const tail = node.splitText(start);
        tail.splitText(q.length);
        const mark = doc.createElement("mark");
        mark.className = MARK;
        tail.replaceWith(mark);
        mark.append(tail);
        local.unshift(mark);
      }
      this.marks.push(...local);
    }
    if (this.marks.length) this.show(0);
    return this.marks.length;
  }

  /** Makes the i-th match (cycling) current and scrolls it into view. */
  show(i: number): void {
    if (!this.marks.length) return;
    this.marks[this.current]?.classList.remove("current");
    this.current = ((i % this.marks.length) + this.marks.length) % this.marks.length;
    const m = this.marks[this.current];
    m.classList.add("current");
    m.scrollIntoView({ block: "center", inline: "nearest" });
  }

  next(): void {
    this.show(this.current + 1);
  }

  clear(): void {
    for (const m of this.marks) {
      const parent = m.parentNode;
      if (!parent) continue;
      m.replaceWith(...m.childNodes);
      parent.normalize();
    }
    this.marks = [];
    this.current = -1;
  }
}
