import { type DynamicModule, Module } from '@nestjs/common';
import { DOMAIN_MODULES } from '../../api/src/app.module';
import type { AppConfig } from '../../api/src/config/app-config';
import { AppConfigModule } from '../../api/src/config/config.module';
import { ClockModule } from '../../api/src/core/clock';
import { PersistenceModule } from '../../api/src/persistence/persistence.module';

/** The API's domain modules without HTTP: same services, same database, same audit trail. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        AppConfigModule.forRoot(config),
        ClockModule,
        PersistenceModule.forRoot({ retryAttempts: 0 }),
        ...DOMAIN_MODULES,
      ],
    };
  }
}
