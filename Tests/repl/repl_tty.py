"""Drives `smallchanges` in a real pseudo-terminal, as a person would: readline editing, Ctrl-C, Ctrl-D,
tab completion and the history file. Run by ReadlineTerminalTests (swift test) with the built binary."""
import os
import sys
import tempfile

import pexpect

binary = sys.argv[1]
root = sys.argv[2]
home = tempfile.mkdtemp()
state = tempfile.mkdtemp()
env = dict(os.environ, SMALLCHANGES_HOME=home, XDG_STATE_HOME=state, TERM="xterm", NO_COLOR="1")
env.pop("SMALLCHANGES_NOHISTORY", None)
env.pop("SMALLCHANGES_HISTFILE", None)


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


child = pexpect.spawn(binary, ["chat", "--flow", "reflect"], cwd=root, env=env, encoding="utf-8", timeout=20,
                      dimensions=(40, 160))
child.expect("what's one thing that got in the way")
child.expect("\u203a ")

# Ctrl-C with text typed drops the line and gives a fresh prompt; the process lives on.
child.send("a half typed line about Mrs Jones")
child.expect("Mrs Jones")  # readline has the text: only now is there a line to drop
child.sendcontrol("c")
child.expect("Line dropped")
# Up arrow brings the dropped line back (in memory only).
child.send("\x1b[A")
child.expect("Mrs Jones")
child.sendcontrol("u")
child.expect_exact("\x1b[K")  # readline has cleared the line
# Ctrl-C on an empty line says how to leave.
child.sendcontrol("c")
child.expect("Use /quit or Ctrl-D to leave")

# Tab completes slash commands.
child.send("/he\t")
child.expect("/help")
child.send("\r")
child.expect("Commands:")

# An answer is heard and saved.
child.sendline("the duty phone rang all day so Mrs Jones never got her call back")
child.expect("noted as a barrier")
child.expect("How might you get round")
child.expect("\u203a ")

# Ctrl-D leaves, saying where the session is kept.
child.sendcontrol("d")
child.expect("Your session is saved as (s-[a-z0-9]+)")
session = child.match.group(1)
child.expect(pexpect.EOF)
child.close()
if child.exitstatus != 0:
    fail("Ctrl-D should leave with exit status 0, got %r" % child.exitstatus)

history = os.path.join(state, "smallchanges", "history")
if not os.path.exists(history):
    fail("no history file at " + history)
mode = os.stat(history).st_mode & 0o777
if mode & 0o077:
    fail("history file is readable by others: %o" % mode)
text = open(history, encoding="utf-8").read()
if "Jones" in text or "duty phone" in text:
    fail("an answer leaked into the readline history file")
if "/help" not in text:
    fail("commands should be kept in history")

# Resume picks up at the same question.
child = pexpect.spawn(binary, ["resume", session], cwd=root, env=env, encoding="utf-8", timeout=20,
                      dimensions=(40, 160))
child.expect("You were at Reflect")
child.expect("How might you get round")
child.expect("\u203a ")
child.sendcontrol("d")
child.expect(pexpect.EOF)
print("ok")
