// The chat page: plain DOM, polling the simulator's /sim/api. Every user action becomes a signed webhook to the app.
"use strict";
const state = { user: new URLSearchParams(location.search).get("user"), users: [], seq: 0, inspected: 0 };
const $ = (id) => document.getElementById(id);

async function api(path, body) {
  const response = await fetch("/sim/api" + path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  return response.ok ? response.json() : null;
}

function el(tag, props, ...children) {
  const node = Object.assign(document.createElement(tag), props || {});
  for (const child of children) node.append(child);
  return node;
}

// URLs in the bot's text become links that open in place, as LINE's in-app browser would.
function linkify(text) {
  const parts = text.split(/(https?:\/\/[^\s]+)/g);
  return parts.map((part, i) => i % 2 ? el("a", { href: part, textContent: part, className: "message-link" }) : document.createTextNode(part));
}

function action(a) {
  if (a.type === "uri") return el("a", { href: a.uri, textContent: a.label, className: "template-action" });
  const button = el("button", { textContent: a.label, className: "template-action" });
  button.onclick = () => a.type === "postback" ? postback(a.data) : send(a.text || a.label);
  return button;
}

function render(message) {
  const m = message.message;
  const bubble = el("div", { className: "bubble" });
  if (m.type === "text") bubble.append(...linkify(m.text));
  else if (m.type === "template" && m.template) {
    const t = m.template;
    if (t.title) bubble.append(el("b", { textContent: t.title }), el("br"));
    bubble.append(document.createTextNode(t.text || m.altText || ""));
    bubble.append(el("div", { className: "template-actions" }, ...(t.actions || []).map(action)));
  } else bubble.append(el("code", { textContent: JSON.stringify(m) }));
  return el("li", { className: "from-" + message.from }, bubble);
}

async function refreshUsers() {
  state.users = await api("/users") || [];
  const list = $("user-list");
  list.replaceChildren(...state.users.map((u) => {
    const item = el("li", { className: u.userId === state.user ? "selected" : "" },
      el("a", { href: "?user=" + encodeURIComponent(u.userId), textContent: u.name + (u.isFriend ? "" : " (not a friend)") }));
    return item;
  }));
  const user = state.users.find((u) => u.userId === state.user);
  $("chat-user").textContent = user ? `${user.name} · ${user.userId}` : "Pick or create a LINE user";
  $("add-friend").hidden = !user || user.isFriend;
  $("block").hidden = !user || !user.isFriend;
  $("rich-menu").hidden = !user || !user.isFriend;
  $("message-text").disabled = $("send").disabled = !user || !user.isFriend;
}

async function refreshChat() {
  if (!state.user) return;
  const messages = await api(`/users/${state.user}/chat?after=${state.seq}`) || [];
  for (const m of messages) {
    $("messages").append(render(m));
    state.seq = Math.max(state.seq, m.seq);
  }
  if (messages.length) $("messages").lastChild.scrollIntoView();
}

async function refreshLink() {
  if (!state.user) return;
  const answer = await api(`/users/${state.user}/link`);
  const linked = answer && answer.status === 200;
  $("link-status").className = "link-status " + (linked ? "linked" : "not-linked");
  $("link-status").textContent = linked
    ? `Linked to service user ${answer.body.serviceUserId} (${answer.body.method}) — app lookup API`
    : `Not linked (app lookup API answered ${answer ? answer.status : "nothing"})`;
}

async function refreshInspector() {
  const entries = await api(`/inspector?after=${state.inspected}`) || [];
  for (const e of entries) {
    state.inspected = Math.max(state.inspected, e.id);
    const details = el("details", {},
      el("summary", {}, el("span", { className: "kind kind-" + e.kind, textContent: e.kind === "webhook" ? "webhook →" : "← API" }),
        ` ${e.summary} `, el("b", { textContent: e.status ?? "—" }), ` ${e.milliseconds.toFixed(0)} ms`),
      el("pre", { textContent: e.requestBody }), el("pre", { textContent: e.responseBody }));
    if (e.kind === "webhook") {
      const again = el("button", { textContent: "Redeliver", className: "redeliver" });
      again.onclick = async () => { await api(`/inspector/${e.id}/redeliver`, {}); await tick(); };
      details.append(again);
    }
    $("inspector").prepend(el("li", { className: "entry" }, details));
  }
}

async function send(text) {
  if (!text || !state.user) return;
  await api(`/users/${state.user}/messages`, { text });
  await tick();
}

async function postback(data) {
  await api(`/users/${state.user}/postbacks`, { data });
  await tick();
}

async function tick() {
  await refreshUsers();
  await refreshChat();
  await refreshInspector();
  await refreshLink();
}

$("new-user").onsubmit = async (e) => {
  e.preventDefault();
  const user = await api("/users", { name: $("new-user-name").value });
  location.search = "?user=" + encodeURIComponent(user.userId);
};
$("add-friend").onclick = async () => { await api(`/users/${state.user}/follow`, {}); await tick(); };
$("block").onclick = async () => { await api(`/users/${state.user}/unfollow`, {}); await tick(); };
$("composer").onsubmit = async (e) => {
  e.preventDefault();
  const text = $("message-text").value;
  $("message-text").value = "";
  await send(text);
};
for (const button of document.querySelectorAll("#rich-menu button")) {
  button.onclick = () => button.dataset.postback ? postback(button.dataset.postback) : send(button.dataset.text);
}

tick();
setInterval(tick, 1500);
