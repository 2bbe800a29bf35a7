// Preloaded (node -r) into every runtime the demo starts. The demo holds the other end of a pipe on
// fd 3; if the demo dies without stopping us (SIGKILL, a crash), the pipe closes and this process
// group (the runtime and the workers it forked) goes too, instead of holding its port forever.
const { Socket } = require('node:net');

// Only the process the demo spawned holds the pipe. Its children inherit this preload (fork passes
// execArgv) but not the variable, and their fd 3 is something else (fork's IPC channel).
const isDemoRuntime = process.env.TWIML_GUARD_DEMO_LIFELINE === '1';
delete process.env.TWIML_GUARD_DEMO_LIFELINE;

function stopOwnGroup() {
  try {
    process.kill(-process.pid, 'SIGTERM');
  } catch {
    process.exit(1);
  }
}

if (isDemoRuntime) {
  try {
    const lifeline = new Socket({ fd: 3, readable: true, writable: false });
    lifeline.unref();
    lifeline.on('error', () => undefined);
    lifeline.on('close', stopOwnGroup);
    lifeline.resume();
  } catch {
    // No pipe on fd 3 after all: nothing to watch.
  }
}
