/**
 * A node of an intrusive {@link LruList}: the links live in the node itself, so moving a
 * memo to the front on every hit allocates nothing.
 */
export interface LruNode {
  /** The next more recently used node, or `undefined` at the front. */
  lruPrev: LruNode | undefined;
  /** The next less recently used node, or `undefined` at the back. */
  lruNext: LruNode | undefined;
  /** The list the node is in, if any. */
  lruList: LruList<LruNode> | undefined;
}

/**
 * A doubly linked list ordered from most to least recently used, with O(1) insertion,
 * removal and promotion.
 */
export class LruList<N extends LruNode> {
  private head: N | undefined = undefined;
  private tail: N | undefined = undefined;
  /** How many nodes the list holds. */
  size: number = 0;

  /** Inserts `node` at the front, or moves it there if it is already in this list. */
  touch(node: N): void {
    if (node.lruList === this) {
      if (this.head === node) return;
      this.unlink(node);
    } else if (node.lruList !== undefined) {
      (node.lruList as LruList<N>).remove(node);
    }
    node.lruList = this as unknown as LruList<LruNode>;
    node.lruPrev = undefined;
    node.lruNext = this.head;
    if (this.head !== undefined) this.head.lruPrev = node;
    this.head = node;
    if (this.tail === undefined) this.tail = node;
    this.size++;
  }

  /** Removes `node` if it is in this list. */
  remove(node: N): void {
    if (node.lruList !== (this as unknown as LruList<LruNode>)) return;
    this.unlink(node);
    node.lruList = undefined;
  }

  /** The least recently used node, walking from the back past nodes `skip` rejects. */
  oldest(skip: (node: N) => boolean): N | undefined {
    let node = this.tail;
    while (node !== undefined && skip(node)) node = node.lruPrev as N | undefined;
    return node;
  }

  private unlink(node: N): void {
    const prev = node.lruPrev as N | undefined;
    const next = node.lruNext as N | undefined;
    if (prev === undefined) this.head = next;
    else prev.lruNext = next;
    if (next === undefined) this.tail = prev;
    else next.lruPrev = prev;
    node.lruPrev = undefined;
    node.lruNext = undefined;
    this.size--;
  }
}
