package dev.jobpool.support;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every enum known by an id: the id is the constant's name in lower case, it is what JSON
 * shows, and it finds the constant again; every lifecycle has the five states.
 */
class IdentifiedTests {

	private static final List<JavaClass> enums = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.jobpool")
		.stream()
		.filter((type) -> type.isEnum() && type.isAssignableTo(Identified.class))
		.toList();

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void theEnumsOfTheJobsBenchmarksExecutorsAndFetchesAreFound() {
		assertThat(enums).extracting(JavaClass::getSimpleName)
			.contains("JobType", "JobStatus", "TaskStatus", "BenchmarkStatus", "WorkerKind", "ExecutorKind",
					"BlockReason");
	}

	@Test
	void jsonShowsTheIdAndReadsItBack() {
		for (JavaClass type : enums) {
			for (Enum<?> constant : constants(type)) {
				String written = this.json.writeValueAsString(constant);
				assertThat(written).isEqualTo("\"" + constant.name().toLowerCase(Locale.ROOT) + "\"");
				assertThat(this.json.readValue(written, type.reflect())).isSameAs(constant);
			}
		}
	}

	@Test
	void fromIdFindsEachConstantByItsIdOnly() {
		for (JavaClass type : enums) {
			for (Enum<?> constant : constants(type)) {
				assertThat(find(type, ((Identified) constant).id())).contains(constant);
				assertThat(find(type, constant.name())).isEmpty();
			}
			assertThat(find(type, "no such id")).isEmpty();
		}
	}

	@Test
	void everyLifecycleHasTheFiveStatesAndEndsInTheLastThree() {
		List<JavaClass> lifecycles = enums.stream().filter((type) -> type.isAssignableTo(Lifecycle.class)).toList();
		assertThat(lifecycles).extracting(JavaClass::getSimpleName)
			.contains("JobStatus", "TaskStatus", "BenchmarkStatus");
		for (JavaClass type : lifecycles) {
			Lifecycle[] states = (Lifecycle[]) type.reflect().getEnumConstants();
			assertThat(states).as(type.getName())
				.extracting(Lifecycle::id)
				.containsExactly("queued", "running", "succeeded", "failed", "cancelled");
			assertThat(states).as(type.getName())
				.extracting(Lifecycle::isFinished)
				.containsExactly(false, false, true, true, true);
		}
	}

	private static List<Enum<?>> constants(JavaClass type) {
		return Stream.of((Enum<?>[]) type.reflect().getEnumConstants()).toList();
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Optional<Object> find(JavaClass type, String id) {
		return Identified.fromId((Class) type.reflect(), id);
	}

}
