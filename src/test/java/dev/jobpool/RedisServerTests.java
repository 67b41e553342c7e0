package dev.jobpool;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The test Redis server: it answers once started, runs with AOF and noeviction, keeps its
 * data across a restart, and leaves no process behind when killed or closed.
 */
class RedisServerTests {

	private @Nullable RedisServer redis;

	@BeforeEach
	void start() {
		this.redis = RedisServer.start();
	}

	@AfterEach
	void close() {
		// Null when start() skipped the test: redis-server is not installed.
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void answersPingOnItsPortWithTheProductionSettings() {
		assertThat(this.redis.url()).isEqualTo("redis://127.0.0.1:" + this.redis.port());
		assertThat(this.redis.command("PING")).isEqualTo("+PONG\r\n");
		assertThat(ProcessHandle.of(this.redis.pid())).get().satisfies((process) -> {
			assertThat(process.isAlive()).isTrue();
			assertThat(process.info().command()).hasValueSatisfying((command) -> assertThat(command).contains("redis"));
		});
		assertThat(this.redis.command("CONFIG", "GET", "appendonly"))
			.isEqualTo("*2\r\n$10\r\nappendonly\r\n$3\r\nyes\r\n");
		assertThat(this.redis.command("CONFIG", "GET", "maxmemory-policy"))
			.isEqualTo("*2\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n");
		assertThat(this.redis.command("CONFIG", "GET", "save")).isEqualTo("*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
		assertThat(this.redis.command("GET", "missing")).isEqualTo("$-1\r\n");
		assertThat(this.redis.command("NO-SUCH-COMMAND")).startsWith("-ERR ");
	}

	@Test
	void keepsWhatItWasToldAcrossARestart() {
		assertThat(this.redis.command("SET", "greeting", "héllo wörld")).isEqualTo("+OK\r\n");
		assertThat(this.redis.command("RPUSH", "list", "a", "b")).isEqualTo(":2\r\n");
		long before = this.redis.pid();
		int port = this.redis.port();

		this.redis.restart();

		assertThat(this.redis.pid()).isNotEqualTo(before);
		assertThat(ProcessHandle.of(before)).isEmpty();
		assertThat(this.redis.port()).isEqualTo(port);
		// 13 bytes: the two accented letters are two bytes each in UTF-8.
		assertThat(this.redis.command("GET", "greeting")).isEqualTo("$13\r\nhéllo wörld\r\n");
		assertThat(this.redis.command("LRANGE", "list", "0", "-1")).isEqualTo("*2\r\n$1\r\na\r\n$1\r\nb\r\n");
		assertThat(this.redis.command("DBSIZE")).isEqualTo(":2\r\n");
	}

	@Test
	void killLeavesNoProcessAndARestartAnswersAgain() {
		long pid = this.redis.pid();

		this.redis.kill();

		assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> this.redis.command("PING"));
		this.redis.restart();
		assertThat(this.redis.command("PING")).isEqualTo("+PONG\r\n");
	}

	@Test
	void closeLeavesNoProcessAndNoDirectory() {
		long pid = this.redis.pid();
		Path directory = this.redis.directory();
		assertThat(directory.resolve("appendonlydir")).isDirectory();

		this.redis.close();

		Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
		assertThat(process).isEmpty();
		assertThat(directory).doesNotExist();
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> this.redis.command("PING"));
	}

}
