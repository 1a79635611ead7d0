//! Every connection's I/O passes through [`GuardedIo`], which gives the phases actix-http does
//! not time out a deadline of their own, and stops reading while the client is not reading:
//!
//! - **A request, head and body, from its first byte** (`request_timeout`). actix-http times
//!   only the head of a connection's first request: a body that never arrives, or the second
//!   request's head sent one byte at a time, held a connection forever (finding h3). Here the
//!   clock starts when a byte arrives while no answer is pending and stops when the answer's
//!   first bytes are written; if it runs out, the connection is closed.
//! - **Anything else, as a backstop** (`idle_timeout`): after an answer, a connection that
//!   reads nothing for keep-alive plus the request timeout is closed (e.g. a body never sent
//!   after `100 Continue`, a state no other timer covers).
//! - **A write to a client that does not read** (`write_timeout`): from the moment the socket
//!   refuses bytes, the client has this long to take some, or the connection is closed.
//! - **Back-pressure on pipelining** (finding h2): actix-http reads up to 128 KiB ahead and
//!   parses every complete request in what it read (about 6.6 KB of memory each: 2,000
//!   pipelined `GET`s were 13 MB per connection). Here a read hands it at most
//!   [`READ_QUANTUM`] bytes per turn (a full quantum ends the turn, so the requests it holds
//!   are answered before more are read), and nothing is read while the socket refuses bytes.
//!   A connection then holds at most about 90 parsed requests, its 128 KiB read buffer, and
//!   a write buffer of 32 KiB plus the body being written.
//!
//! Idle keep-alive connections and the first request's head keep actix-http's own timers
//! (`--keep-alive`, `--client-request-timeout`), which answer 408 where they can.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::rt::net::TcpStream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// Most bytes handed to the HTTP layer per read turn: a request head is far smaller, a
/// pipelined burst is read one quantum per turn.
pub const READ_QUANTUM: usize = 4096;

/// The deadlines [`GuardedIo`] enforces; zero disables one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// From a request's first byte to the first byte of its answer.
    pub request_timeout: Duration,
    /// How long a write may wait for a client that takes no bytes.
    pub write_timeout: Duration,
    /// After an answer, how long the connection may go without a byte read (a backstop
    /// behind actix-http's keep-alive timer: keep-alive plus the request timeout).
    pub idle_timeout: Duration,
}

/// A TCP stream with the deadlines of [`ConnectionLimits`] (see the module documentation).
pub struct GuardedIo {
    io: TcpStream,
    limits: ConnectionLimits,
    /// The read side's deadline (see [`ReadPhase`]).
    request_timer: Option<Pin<Box<Sleep>>>,
    phase: ReadPhase,
    /// Some while the socket refuses bytes.
    write_timer: Option<Pin<Box<Sleep>>>,
    write_blocked: bool,
    /// The last read filled a whole quantum: the next one ends the turn.
    yield_next_read: bool,
}

impl GuardedIo {
    pub fn new(io: TcpStream, limits: ConnectionLimits) -> Self {
        // Answers are written as they are produced (large bodies in slices): without
        // TCP_NODELAY, Nagle's algorithm holds each last partial segment until the client's
        // delayed ACK, up to 40 ms (actix-web's own server sets it too).
        let _ = io.set_nodelay(true);
        GuardedIo {
            io,
            limits,
            request_timer: None,
            phase: ReadPhase::Fresh,
            write_timer: None,
            write_blocked: false,
            yield_next_read: false,
        }
    }

    pub fn peer_addr(&self) -> Option<std::net::SocketAddr> {
        self.io.peer_addr().ok()
    }
}

/// Starts (`start`) or checks a deadline `timeout` from now, kept in `timer` (one allocation
/// per connection, reset in place). Ready(Err) once it has passed.
fn poll_deadline(
    timer: &mut Option<Pin<Box<Sleep>>>,
    start: bool,
    timeout: Duration,
    cx: &mut Context<'_>,
    what: &'static str,
) -> Poll<io::Result<()>> {
    if timeout.is_zero() {
        return Poll::Pending;
    }
    let deadline = Instant::now() + timeout;
    let sleep = match timer {
        Some(sleep) => {
            if start {
                sleep.as_mut().reset(deadline);
            }
            sleep
        }
        None => timer.insert(Box::pin(tokio::time::sleep_until(deadline))),
    };
    match sleep.as_mut().poll(cx) {
        Poll::Ready(()) => Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, what))),
        Poll::Pending => Poll::Pending,
    }
}

use std::future::Future as _;

/// Where the read side's deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadPhase {
    /// Nothing read yet: actix-http times the first request's head.
    Fresh,
    /// A request is arriving: `request_timeout` from its first byte.
    Request,
    /// An answer was written since the last request began: the `idle_timeout` backstop runs
    /// (restarted at the next read turn). actix-http's keep-alive timer closes an idle
    /// connection sooner; the backstop covers the states no timer covers, such as a body
    /// never sent after `100 Continue` was written.
    Answered { restart: bool },
}

impl AsyncRead for GuardedIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.write_blocked {
            // Back-pressure: the write side registered the wake-up (and its deadline).
            return Poll::Pending;
        }
        if this.yield_next_read {
            // End the turn: the HTTP layer answers what it has, then reads on.
            this.yield_next_read = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let mut quantum = buf.take(READ_QUANTUM);
        let read = Pin::new(&mut this.io).poll_read(cx, &mut quantum);
        let n = quantum.filled().len();
        // SAFETY: the inner read initialized these `n` bytes of `buf`'s unfilled part.
        unsafe { buf.assume_init(n) };
        buf.advance(n);
        let (start, timeout, what) = match (read, this.phase) {
            (Poll::Ready(Ok(())), ReadPhase::Request) if n > 0 => {
                this.yield_next_read = n == READ_QUANTUM;
                return Poll::Ready(Ok(()));
            }
            (Poll::Ready(Ok(())), _) if n > 0 => {
                // The first byte of a request: its clock starts.
                this.yield_next_read = n == READ_QUANTUM;
                this.phase = ReadPhase::Request;
                (true, this.limits.request_timeout, REQUEST_LATE)
            }
            (Poll::Ready(result), _) => return Poll::Ready(result),
            (Poll::Pending, ReadPhase::Fresh) => return Poll::Pending,
            (Poll::Pending, ReadPhase::Request) => {
                (false, this.limits.request_timeout, REQUEST_LATE)
            }
            (Poll::Pending, ReadPhase::Answered { restart }) => {
                this.phase = ReadPhase::Answered { restart: false };
                (restart, this.limits.idle_timeout, IDLE_TOO_LONG)
            }
        };
        if let Poll::Ready(Err(e)) =
            poll_deadline(&mut this.request_timer, start, timeout, cx, what)
        {
            return Poll::Ready(Err(e));
        }
        if start {
            Poll::Ready(Ok(()))
        } else {
            Poll::Pending
        }
    }
}

const REQUEST_LATE: &str = "request not received in time";
const IDLE_TOO_LONG: &str = "connection idle too long";

impl AsyncWrite for GuardedIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_write(cx, buf) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    // An answer is going out: the request it answers has arrived.
                    this.phase = ReadPhase::Answered { restart: true };
                    this.write_blocked = false;
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => {
                let start = !this.write_blocked;
                this.write_blocked = true;
                let timeout = this.limits.write_timeout;
                match poll_deadline(
                    &mut this.write_timer,
                    start,
                    timeout,
                    cx,
                    "client not reading",
                ) {
                    Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                    _ => Poll::Pending,
                }
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}
