"""Drives `smallchanges` in a real pseudo-terminal, as a person would: readline editing, Ctrl-C, Ctrl-D,
tab completion, the history file, bracketed paste, wrapping at the terminal's width and the pager. Run by
ReadlineTerminalTests (swift test) with the built binary."""
import os
import re
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

# A pasted block of three lines (bracketed paste) is one answer: one acknowledgement, then the next question.
child.send("\x1b[200~ask the ward clerk\nto hold the duty phone\nfor one hour a day\x1b[201~")
child.expect("for one hour a day")
child.send("\r")
child.expect("step 3 of 5")
child.expect("\u203a ")
if child.before.count("\u2713") > 1 or "step 4 of 5" in child.before:
    fail("a pasted block became more than one answer: %r" % child.before)

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
child.expect("one small thing you could try")
child.expect("\u203a ")
child.sendcontrol("d")
child.expect(pexpect.EOF)


def opening(columns):
    """What the chat shows before its first prompt, at a terminal this many columns wide."""
    session = pexpect.spawn(binary, ["chat", "--flow", "reflect", "--no-save"], cwd=root, env=env,
                            encoding="utf-8", timeout=20, dimensions=(40, columns))
    session.expect("\u203a ")
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", session.before)
    session.sendcontrol("d")
    session.expect(pexpect.EOF)
    return text


# Words wrap at the terminal's width, never inside a word.
wide = opening(160)
narrow = opening(60)
if any(len(line) > 60 for line in narrow.split("\r\n")):
    fail("a line is wider than the 60-column terminal: %r" % narrow)
if narrow.split() != wide.split():
    fail("wrapping at 60 columns broke a word: %r" % narrow)

# /plan taller than the screen goes through $PAGER.
paged = pexpect.spawn(binary, ["chat", "--flow", "reflect", "--no-save"], cwd=root,
                      env=dict(env, PAGER="sed s/^/PAGED:/"), encoding="utf-8", timeout=20, dimensions=(8, 80))
paged.expect("\u203a ")
paged.sendline("the duty phone rang all day")
paged.expect("\u203a ")
paged.sendline("/plan")
paged.expect("PAGED:# Five-minute reflection")
paged.expect("\u203a ")
paged.sendcontrol("d")
paged.expect(pexpect.EOF)
print("ok")
