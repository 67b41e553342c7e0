package dev.jobpool.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;

import dev.jobpool.LoopbackExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI description names every executor, a contact, and the license the
 * repository's LICENSE file holds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiDescriptionTests {

	@RegisterExtension
	static final LoopbackExtension loopback = new LoopbackExtension();

	@Test
	void namesEveryExecutorAContactAndTheRepositorysLicense() throws IOException {
		JsonNode info = loopback.api().get("/v3/api-docs").json().get("info");

		assertThat(info.get("description").asString()).contains("`sequential`", "`platform`", "`virtual`", "`process`",
				"`spawn`", "`auto`");
		assertThat(info.get("contact").get("name").asString()).isNotBlank();
		assertThat(info.get("license").get("name").asString()).isEqualTo("Apache-2.0");
		assertThat(Path.of("LICENSE")).exists();
		assertThat(Files.readString(Path.of("LICENSE"))).contains("Apache License", "Version 2.0, January 2004")
			.contains(info.get("license").get("url").asString());
	}

}
