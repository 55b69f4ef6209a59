package org.labelloop.server;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;

/**
 * Long work (retrain) run in the background, one job at a time, with status, progress and cancel. A job's result
 * or error stays readable after it ends.
 */
public final class Jobs implements AutoCloseable {

	public enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

	/** A job as a client sees it; {@code result} is set when done, {@code error} when failed or cancelled. */
	public record Status(long id, String kind, String user, State state, double fraction, String message, Instant started,
			Object result, String error) {
	}

	private final class Job implements Progress {
		final long id;
		final String kind, user;
		final Instant started = Instant.now();
		volatile State state = State.QUEUED;
		volatile double fraction;
		volatile String message = "waiting for an earlier job";
		volatile boolean cancelled;
		volatile Object result;
		volatile String error;

		Job(long id, String kind, String user) {
			this.id = id;
			this.kind = kind;
			this.user = user;
		}

		@Override
		public void report(double f, String m) {
			fraction = f;
			message = m;
		}

		@Override
		public boolean isCancelled() {
			return cancelled;
		}

		Status status() {
			return new Status(id, kind, user, state, fraction, message, started, result, error);
		}
	}

	private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "labelloop-job");
		t.setDaemon(true);
		return t;
	});
	private final Map<Long, Job> jobs = new ConcurrentHashMap<>();
	private final AtomicLong ids = new AtomicLong();

	/** Queues work; it gets a {@link Progress} that reports and cancels. */
	public Status submit(String kind, String user, Function<Progress, Object> work) {
		Job j = new Job(ids.incrementAndGet(), kind, user);
		jobs.put(j.id, j);
		worker.submit(() -> {
			if (j.cancelled) {
				j.state = State.CANCELLED;
				j.error = kind + " was cancelled before it started.";
				return;
			}
			j.state = State.RUNNING;
			j.message = "started";
			try {
				j.result = work.apply(j);
				j.fraction = 1;
				j.state = State.DONE;
			} catch (CancelledException e) {
				j.error = e.getMessage();
				j.state = State.CANCELLED;
			} catch (LabelLoopException | IllegalArgumentException e) {
				j.error = e.getMessage();
				j.state = State.FAILED;
			} catch (RuntimeException | Error e) {
				j.error = kind + " failed: " + e;
				j.state = State.FAILED;
			}
		});
		return j.status();
	}

	public Status status(long id) {
		Job j = jobs.get(id);
		if (j == null) throw ApiException.notFound("No job " + id + " on this server (jobs are forgotten when it restarts).");
		return j.status();
	}

	/** Asks a job to stop; it ends at its next progress check and keeps nothing it had not finished. */
	public Status cancel(long id) {
		Job j = jobs.get(id);
		if (j == null) throw ApiException.notFound("No job " + id + " on this server.");
		j.cancelled = true;
		return j.status();
	}

	@Override
	public void close() {
		jobs.values().forEach(j -> j.cancelled = true);
		worker.shutdown();
		try {
			worker.awaitTermination(30, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
