"""Small servers a user might pick instead of notifyhub, driven through the harness's one contract.

Every peer:

- listens on 127.0.0.1 (port from `--port`, 0 for any) and prints `listening ws=<port> http=<port>`
  (followed by ` ws_path=<path>` when its WebSocket is not at `/api/v1/ws`: python-socketio's is at
  `/socket.io/`, where the load client speaks Engine.IO);
- accepts a WebSocket at `/api/v1/ws?token=<jwt>`; the token's `user_id` claim names the user (peers
  read it without checking the signature; notifyhub verifies it), and the first frame it sends is
  `{"type": "connection_established", ...}`;
- takes `POST /api/v1/messages` (`{"user_ids": [...]}` or `{"broadcast": true}` with a `message`) and
  `POST /api/v1/messages/batch` (`{"requests": [...]}`), stamps `id` and `timestamp`, encodes each
  message once and sends it to the users' connections or to all, answering 202;
- takes `POST /bench/send_to_user` (`{"phase": p, "targets": [user_id, ...]}`): in its own process,
  sends notification `"<p>:<i>"` to `targets[i]` through its in-process API, one after another.
"""
