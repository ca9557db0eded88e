//! The accept loop: a bounded number of connections, each with read and
//! write deadlines, and a shutdown that ends within a deadline whatever the
//! clients do.

use crate::faults::{Cut, Cuttable};
use axum::{Extension, Router};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::time::{Instant, Sleep};

pub struct Limits {
    pub max_connections: usize,
    /// From the first byte of a request (or the end of the last one) to the end of its headers.
    pub header_timeout: Duration,
    /// How long a write may wait for the client to take the answer.
    pub write_timeout: Duration,
    /// How long open connections get to finish after SIGTERM.
    pub shutdown_grace: Duration,
    /// Add a [`Cut`] to each request, for `--faults`.
    pub cuttable: bool,
}

/// What a connection over the limit gets before it is closed: the phone
/// retries a 503 after `Retry-After`.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 72\r\n\r\n{\"error\": \"the server has too many connections open; try again shortly\"}";

pub async fn serve(listener: TcpListener, app: Router, limits: Limits, stop: impl std::future::Future<Output = ()>) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let turned_away = Arc::new(Semaphore::new(64));
    let (stopping, stopped) = watch::channel(false);
    tokio::pin!(stop);
    let mut last_error: Option<Instant> = None;
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, usually: retrying at once would
                    // spin. Wait, and say so at most once a minute.
                    if last_error.is_none_or(|t| t.elapsed() > Duration::from_secs(60)) {
                        eprintln!("phieu serve: cannot accept a connection: {e} (raise the file limit, `ulimit -n`, or lower --max-connections)");
                        last_error = Some(Instant::now());
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            // Answered, then closed once the client has had a second to read
            // it (closing with its request unread would reset the connection
            // and lose the answer). A few at a time; beyond that, just closed.
            if let Ok(busy) = turned_away.clone().try_acquire_owned() {
                tokio::spawn(async move {
                    let _busy = busy;
                    let mut stream = stream;
                    let _ = tokio::time::timeout(Duration::from_secs(1), async {
                        stream.write_all(BUSY).await?;
                        stream.shutdown().await?;
                        let mut sink = [0u8; 1024];
                        while stream.read(&mut sink).await? > 0 {}
                        Ok::<(), io::Error>(())
                    })
                    .await;
                });
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let cut = Cut::default();
        let app = if limits.cuttable { app.clone().layer(Extension(cut.clone())) } else { app.clone() };
        let service = hyper_util::service::TowerToHyperService::new(app);
        let io = hyper_util::rt::TokioIo::new(Stalls::new(Cuttable { inner: stream, cut }, limits.write_timeout));
        let mut stopped = stopped.clone();
        let header_timeout = limits.header_timeout;
        tokio::spawn(async move {
            let _permit = permit;
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(io, service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = async { let _ = stopped.wait_for(|s| *s).await; } => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    drop(listener);
    let _ = stopping.send(true);
    // Every connection has given its permit back, or the deadline has passed.
    let all = limits.max_connections as u32;
    let _ = tokio::time::timeout(limits.shutdown_grace, permits.acquire_many(all)).await;
}

/// A connection whose writes fail once the client has taken nothing for
/// `limit`: a client that stops reading must not hold a connection (and,
/// for a CSV export, a database reader) for ever.
pub struct Stalls<S> {
    inner: S,
    limit: Duration,
    timer: Pin<Box<Sleep>>,
    armed: bool,
}

impl<S> Stalls<S> {
    pub fn new(inner: S, limit: Duration) -> Self {
        Stalls { inner, limit, timer: Box::pin(tokio::time::sleep(limit)), armed: false }
    }

    fn pending<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        if !self.armed {
            self.armed = true;
            let deadline = Instant::now() + self.limit;
            self.timer.as_mut().reset(deadline);
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "the client stopped reading"))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Stalls<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Stalls<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, buf) {
            Poll::Pending => self.pending(cx),
            done => {
                self.armed = false;
                done
            }
        }
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Pending => self.pending(cx),
            done => {
                self.armed = false;
                done
            }
        }
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write_vectored(cx, bufs) {
            Poll::Pending => self.pending(cx),
            done => {
                self.armed = false;
                done
            }
        }
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_busy_answer_declares_its_length() {
        let text = std::str::from_utf8(super::BUSY).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("Content-Length: {}", body.len())), "{head} / {}", body.len());
        serde_json::from_str::<serde_json::Value>(body).unwrap();
    }
}
