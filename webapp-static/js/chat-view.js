// Renders chat frames into the page. All user text goes through textContent: text is data.

const TYPING_SHOWN_MS = 3000;

export class ChatView {
  #messages;
  #members;
  #membersTitle;
  #typing;
  #typists = new Map(); // name -> timer
  #oldestId = null;

  constructor({ messages, members, membersTitle, typing }) {
    this.#membersTitle = membersTitle;
    this.#messages = messages;
    this.#members = members;
    this.#typing = typing;
  }

  /** The oldest message id shown, to page further back; null when none. */
  get oldestId() {
    return this.#oldestId;
  }

  clear() {
    this.#messages.replaceChildren();
    this.#members.replaceChildren();
    this.#membersTitle.textContent = 'Members';
    this.#oldestId = null;
    this.#typists.forEach(clearTimeout);
    this.#typists.clear();
    this.#renderTyping();
  }

  /**
   * The room's history began again (a server restart): ids restart at 1, so the messages shown
   * so far stay visible but no longer answer to an id.
   */
  retireMessages() {
    for (const item of this.#messages.querySelectorAll('li.message[data-id]')) {
      item.dataset.previousId = item.dataset.id;
      delete item.dataset.id;
    }
    this.#oldestId = null;
  }

  /** The members named so far, each a whisper button, and the room's size in the heading. */
  showMembers(names, count, me, onPick) {
    this.#membersTitle.textContent = `Members (${count})`;
    this.#members.replaceChildren(
      ...names.map((name) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = name === me ? 'member me' : 'member';
        button.textContent = name === me ? `${name} (you)` : name;
        button.title = `Whisper to ${name}`;
        button.addEventListener('click', () => onPick(name));
        item.append(button);
        return item;
      }),
    );
  }

  /** Appends a message, unless one with its id is already shown. */
  addMessage(message) {
    this.#removePending(message.cid);
    if (this.#messages.querySelector(`[data-id="${message.id}"]`)) return;
    this.#stopTyping(message.from);
    this.#append(this.#messageElement(message));
  }

  /** Older messages, oldest first, put above what is shown without moving the view. */
  prependHistory(messages) {
    const fresh = messages.filter((m) => !this.#messages.querySelector(`[data-id="${m.id}"]`));
    if (fresh.length === 0) return;
    const fromBottom = this.#messages.scrollHeight - this.#messages.scrollTop;
    this.#messages.prepend(...fresh.map((m) => this.#messageElement(m)));
    this.#oldestId = Math.min(this.#oldestId ?? Infinity, fresh[0].id);
    this.#messages.scrollTop = this.#messages.scrollHeight - fromBottom;
  }

  addWhisper(whisper, me) {
    const item = this.#line('whisper', whisper.ts);
    const who = whisper.from === me ? `you → ${whisper.to}` : `${whisper.from} → you`;
    item.append(span('from', `${who} (whisper)`), span('text', whisper.text));
    this.#removePending(whisper.cid);
    this.#append(item);
  }

  /** A line for something said while offline, replaced when the server confirms it. */
  addPending(cid, text) {
    const item = this.#line('pending');
    item.dataset.cid = cid;
    item.append(span('from', 'you (sending…)'), span('text', text));
    this.#append(item);
  }

  notice(text, kind = 'notice') {
    const item = this.#line(kind);
    item.textContent = text;
    this.#append(item);
  }

  gap() {
    this.notice('Some messages from while you were away could not be loaded.', 'gap');
  }

  someoneTyping(name) {
    clearTimeout(this.#typists.get(name));
    this.#typists.set(name, setTimeout(() => this.#stopTyping(name), TYPING_SHOWN_MS));
    this.#renderTyping();
  }

  #stopTyping(name) {
    if (!this.#typists.has(name)) return;
    clearTimeout(this.#typists.get(name));
    this.#typists.delete(name);
    this.#renderTyping();
  }

  #renderTyping() {
    const names = [...this.#typists.keys()];
    this.#typing.textContent =
      names.length === 0 ? '' : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`;
  }

  #messageElement(message) {
    const item = this.#line('message', message.ts);
    item.dataset.id = String(message.id);
    item.append(span('from', message.from), span('text', message.text));
    if (this.#oldestId === null || message.id < this.#oldestId) this.#oldestId = message.id;
    return item;
  }

  #line(kind, ts) {
    const item = document.createElement('li');
    item.className = kind;
    if (ts) {
      const time = document.createElement('time');
      time.dateTime = ts;
      time.textContent = new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      time.title = new Date(ts).toLocaleString();
      item.append(time);
    }
    return item;
  }

  #removePending(cid) {
    if (cid) this.#messages.querySelector(`.pending[data-cid="${CSS.escape(cid)}"]`)?.remove();
  }

  #append(item) {
    const list = this.#messages;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.append(item);
    if (atBottom) list.scrollTop = list.scrollHeight;
  }
}

function span(className, text) {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}
