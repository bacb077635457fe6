// The simulated LIFF page: liff.getIDToken() comes from the simulator, and the service's backend posts it to the app.
"use strict";
document.getElementById("liff-link").onclick = async () => {
  const user = document.getElementById("liff-user").value;
  const token = await (await fetch(`/sim/api/users/${encodeURIComponent(user)}/liff-id-token`, { method: "POST" })).json();
  const response = await fetch("/service/liff/link", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ idToken: token.idToken }),
  });
  const answer = await response.json();
  const result = document.getElementById("liff-result");
  result.textContent = `${answer.status} ${JSON.stringify(answer.body, null, 2)}`;
  result.className = "json " + (answer.status === 200 ? "linked" : "not-linked");
};
