//! Every connection's I/O passes through [`GuardedIo`], which gives the phases actix-http does
//! not time out a deadline of their own, and stops reading while the client is not reading:
//!
//! - **A request, head and body, from its first byte** (`request_timeout`). actix-http times
//!   only the head of a connection's first request: a body that never arrives, or the second
//!   request's head sent one byte at a time, held a connection forever (finding h3). Here the
//!   clock starts when a byte arrives while no answer is pending and stops when the answer's
//!   first bytes are written; if it runs out, the connection is closed.
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
}

/// A TCP stream with the deadlines of [`ConnectionLimits`] (see the module documentation).
pub struct GuardedIo {
    io: TcpStream,
    limits: ConnectionLimits,
    /// Some while a request is arriving and nothing has been written since.
    request_timer: Option<Pin<Box<Sleep>>>,
    request_armed: bool,
    /// Some while the socket refuses bytes.
    write_timer: Option<Pin<Box<Sleep>>>,
    write_blocked: bool,
    /// The last read filled a whole quantum: the next one ends the turn.
    yield_next_read: bool,
}

impl GuardedIo {
    pub fn new(io: TcpStream, limits: ConnectionLimits) -> Self {
        GuardedIo {
            io,
            limits,
            request_timer: None,
            request_armed: false,
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
        let start = match read {
            Poll::Ready(Ok(())) if n > 0 => {
                this.yield_next_read = n == READ_QUANTUM;
                let start = !this.request_armed;
                this.request_armed = true;
                if !start {
                    return Poll::Ready(Ok(()));
                }
                true
            }
            Poll::Ready(result) => return Poll::Ready(result),
            Poll::Pending => false,
        };
        if this.request_armed {
            let timeout = this.limits.request_timeout;
            if let Poll::Ready(Err(e)) = poll_deadline(
                &mut this.request_timer,
                start,
                timeout,
                cx,
                "request not received in time",
            ) {
                return Poll::Ready(Err(e));
            }
        }
        if start {
            Poll::Ready(Ok(()))
        } else {
            Poll::Pending
        }
    }
}

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
                    this.request_armed = false;
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
