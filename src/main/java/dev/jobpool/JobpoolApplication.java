package dev.jobpool;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts jobpool: a REST service that runs CPU-bound and IO-bound jobs on the executor
 * that suits them.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class JobpoolApplication {

	public static void main(String[] args) {
		SpringApplication.run(JobpoolApplication.class, args);
	}

}
