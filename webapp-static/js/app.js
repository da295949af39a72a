// The page: wires the join form, the composer and the echo console to their modules.

import { ChatConnection } from './chat-connection.js';
import { ChatView } from './chat-view.js';
import { EchoConsole } from './echo-console.js';
import { claimsOf, fetchToken, takeFragmentSignIn } from './sign-in.js';

const TYPING_EVERY_MS = 1000;
const STORAGE = { nick: 'parley.nick', room: 'parley.room' };

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('status'),
  joinForm: $('join-form'),
  nick: $('nick'),
  room: $('room'),
  join: $('join'),
  leave: $('leave'),
  alert: $('chat-alert'),
  messageForm: $('message-form'),
  message: $('message'),
  send: $('send'),
  messages: $('messages'),
  accessToken: $('access-token'),
  identity: $('identity'),
};

/**
 * With a token, the nick is the token's (its name, else its subject): shown, not typed. A token
 * that is no JWT at all is said at once, before a join the server would refuse.
 */
function nickFromToken() {
  const token = ui.accessToken.value.trim();
  const claims = claimsOf(token);
  ui.nick.readOnly = claims !== null;
  if (claims) ui.nick.value = claims.name ?? claims.sub ?? '';
  showAlert(
    token !== '' && claims === null
      ? 'This token cannot be read: a sign-in token is a JWT, three parts separated by dots.'
      : '',
  );
}

const view = new ChatView({
  messages: ui.messages,
  members: $('members'),
  membersTitle: $('members-title'),
  typing: $('typing'),
});
let chat = null;
let countdown = null;
let lastTypingSent = 0;

ui.nick.value = localStorage.getItem(STORAGE.nick) ?? '';
ui.room.value = localStorage.getItem(STORAGE.room) ?? ui.room.value;

// A sign-in hands the page its token in the URL fragment; tokenUrl is where a fresh one can be
// fetched when the server says the current one is expiring.
const { accessToken: signedIn, tokenUrl } = takeFragmentSignIn();
if (signedIn !== null) ui.accessToken.value = signedIn;
ui.accessToken.addEventListener('input', nickFromToken);
nickFromToken();


ui.joinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  join(ui.room.value.trim(), ui.nick.value.trim());
});

ui.leave.addEventListener('click', () => {
  chat?.stop();
  chat = null;
  setJoined(false);
  ui.identity.hidden = true;
  view.notice('You left the room.');
});

ui.messageForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.message.value;
  if (!chat || text.trim() === '') return;
  const whisper = /^\/w\s+(\S+)\s+([\s\S]+)$/.exec(text);
  if (whisper) {
    chat.whisper(whisper[1], whisper[2]);
  } else {
    const cid = chat.say(text);
    if (chat.state !== 'online') view.addPending(cid, text);
  }
  ui.message.value = '';
  ui.message.focus();
});

ui.message.addEventListener('input', () => {
  const now = Date.now();
  if (chat && ui.message.value !== '' && now - lastTypingSent >= TYPING_EVERY_MS) {
    lastTypingSent = now;
    chat.typing();
  }
});

ui.messages.addEventListener('scroll', () => {
  if (ui.messages.scrollTop === 0 && chat && view.oldestId > 1) chat.history(view.oldestId);
});

function join(room, nick) {
  chat?.stop();
  localStorage.setItem(STORAGE.nick, nick);
  localStorage.setItem(STORAGE.room, room);
  view.clear();
  showAlert('');
  const accessToken = ui.accessToken.value.trim() || null;
  chat = new ChatConnection(room, nick, { accessToken });
  chat.addEventListener('state', (event) => showState(event.detail));
  chat.addEventListener('welcome', (event) => welcomed(event.detail));
  chat.addEventListener('frame', (event) => received(event.detail));
  chat.addEventListener('dropped', (event) =>
    view.notice(`${event.detail.count} unsent message(s) dropped: too many while offline.`, 'error'),
  );
  chat.start();
  setJoined(true);
}

function welcomed(welcome) {
  if (welcome.epochChanged) view.retireMessages();
  if (welcome.gap) view.gap();
  if (!welcome.reconnected) view.notice(`You joined #${welcome.room} as ${welcome.name}.`);
  ui.identity.hidden = ui.accessToken.value.trim() === '';
  ui.identity.textContent = `signed in as ${welcome.name}`;
  welcome.history.forEach((message) => view.addMessage(message));
  roster = { names: [...welcome.members], count: welcome.count };
  showMembers();
  askForMoreMembers();
}

/** The room as this page knows it: the names it has been told, and how many members there are. */
let roster = { names: [], count: 0 };

/** A room larger than the welcome's list: its other members are asked for, a page at a time. */
function askForMoreMembers() {
  const { names, count } = roster;
  if (names.length > 0 && names.length < count) chat.members(names[names.length - 1]);
}

/** A presence frame: the net joins and leaves of one interval, and the room's size after them. */
function presenceChanged({ joined, left, count }) {
  const gone = new Set(left.map((name) => name.toLowerCase()));
  const known = new Set(roster.names.map((name) => name.toLowerCase()));
  roster = {
    names: [
      ...roster.names.filter((name) => !gone.has(name.toLowerCase())),
      ...joined.filter((name) => !known.has(name.toLowerCase())),
    ],
    count,
  };
  announce(joined, 'joined');
  announce(left, 'left');
  showMembers();
}

function announce(names, what) {
  if (names.length === 0) return;
  const who = names.length <= 3 ? names.join(', ') : `${names.length} members`;
  view.notice(`${who} ${what}.`);
}

function received(frame) {
  switch (frame.type) {
    case 'message':
      view.addMessage(frame);
      break;
    case 'whisper':
      view.addWhisper(frame, chat.nick);
      break;
    case 'presence':
      presenceChanged(frame);
      break;
    case 'members': {
      const known = new Set(roster.names.map((name) => name.toLowerCase()));
      const added = frame.names.filter((n) => !known.has(n.toLowerCase()));
      roster = { names: [...roster.names, ...added], count: frame.count };
      showMembers();
      // Nothing new: the list is whole, or the nick it asked after has left (the answer then
      // starts from the first); asking again would loop.
      if (added.length > 0) askForMoreMembers();
      break;
    }
    case 'typing':
      view.someoneTyping(frame.name);
      break;
    case 'history':
      view.prependHistory(frame.messages);
      break;
    case 'error':
      if (frame.code === 'token-expiring') {
        renewSignIn();
      } else if (frame.code === 'token-refused') {
        view.notice(`Sign-in not renewed: ${frame.message}`, 'error');
      } else {
        view.notice(`Not sent: ${frame.message}`, 'error');
      }
      break;
    default:
      break; // a newer server's frame: nothing to show
  }
}

/**
 * The server will close the connection when its token expires: fetch a fresh one from the
 * sign-in's token URL, if the page was given one, and hand it over; else say the session ends.
 */
async function renewSignIn() {
  const connection = chat;
  try {
    const token = await fetchToken(tokenUrl);
    if (connection !== chat) throw new Error('left meanwhile');
    ui.accessToken.value = token;
    chat.refresh(token);
    view.notice('Sign-in renewed.');
  } catch {
    view.notice('Your sign-in expires in less than a minute. Sign in again to stay.', 'error');
  }
}

function showMembers() {
  view.showMembers(roster.names, roster.count, chat.nick, (name) => {
    ui.message.value = `/w ${name} `;
    ui.message.focus();
  });
}

function showState({ state, transport, retryAt, reason }) {
  clearInterval(countdown);
  ui.status.dataset.state = state;
  ui.status.dataset.transport = transport;
  const online = state === 'online';
  ui.send.disabled = !chat;
  ui.message.disabled = !chat;
  if (state === 'reconnecting' && retryAt) {
    const tick = () => {
      const seconds = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
      ui.status.textContent = `reconnecting in ${seconds}s`;
    };
    tick();
    countdown = setInterval(tick, 250);
  } else {
    ui.status.textContent = online ? `online in #${chat.room} (${transport})` : state;
  }
  if (state === 'offline' && reason) {
    showAlert(reason);
    setJoined(false);
    ui.identity.hidden = true;
  }
}

function setJoined(joined) {
  ui.leave.hidden = !joined;
  ui.join.textContent = joined ? 'Rejoin' : 'Join';
  ui.message.disabled = !joined;
  ui.send.disabled = !joined;
  if (!joined) {
    ui.status.dataset.state = 'offline';
    if (!ui.alert.textContent) ui.status.textContent = 'offline';
  } else {
    ui.message.focus();
  }
}

function showAlert(text) {
  ui.alert.textContent = text;
  ui.alert.hidden = text === '';
}

const echo = new EchoConsole($('echo-log'));
$('echo-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('echo-input');
  if (input.value !== '') echo.sendText(input.value);
  input.value = '';
});
$('echo-file').addEventListener('change', (event) => {
  const [file] = event.target.files;
  if (file) echo.sendFile(file);
  event.target.value = '';
});
