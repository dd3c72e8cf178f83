# usage: python3 scripts/measure/stalled-connections.py BINARY PORT SECONDS
# Starts Zapys, opens 300 connections that send half a request and stall, and after SECONDS says how many are still open.
import socket, sys, time, subprocess, os, tempfile
binary, port = sys.argv[1], int(sys.argv[2])
d = tempfile.mkdtemp()
env = dict(os.environ, ZAPYS_ADDR=f"127.0.0.1:{port}", ZAPYS_DATA_KEY="AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", DATABASE_URL=f"sqlite://{d}/z.db", RUST_LOG="error")
p = subprocess.Popen([binary, "serve"], env=env, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(2)
socks = []
for i in range(300):
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(b"GET /api/services HTTP/1.1\r\nHost: x\r\nX-Slow: "); socks.append(s)
start = time.time()
wait = float(sys.argv[3])
time.sleep(wait)
open_count = 0
for s in socks:
    s.setblocking(False)
    try:
        data = s.recv(1024)
        if data == b"": continue
        open_count += 1  # got data (e.g. 408/503)? count as answered-not-closed
    except BlockingIOError:
        open_count += 1
    except ConnectionResetError:
        pass
print(f"after {wait:.0f}s: {open_count} of 300 stalled connections still open")
p.terminate(); p.wait()
