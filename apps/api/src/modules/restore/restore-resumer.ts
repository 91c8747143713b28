import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { RestoreService } from './restore.service';

/**
 * The server resumes restores that a stopped process left unfinished (their action states say
 * where they stopped). Server only: a CLI command never picks up other restores by surprise.
 */
@Injectable()
export class RestoreResumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(RestoreResumer.name);

  constructor(private readonly restores: RestoreService) {}

  async onApplicationBootstrap(): Promise<void> {
    const resumed = await this.restores.resumeInterrupted('server').catch((error: unknown) => {
      this.logger.error(
        `Could not resume interrupted restores: ${error instanceof Error ? error.message : String(error)}`,
      );
      return 0;
    });
    if (resumed > 0) this.logger.warn(`Resuming ${resumed} interrupted restore(s)`);
  }
}
