import { Module } from '@nestjs/common';
import { GraphClientFactory } from '@entra-backup/graph';
import { ConfiguredGraphClientFactory } from './configured-graph-client.factory';

/** Microsoft Graph for the application's modules: inject `GraphClientFactory`. */
@Module({
  providers: [
    ConfiguredGraphClientFactory,
    { provide: GraphClientFactory, useExisting: ConfiguredGraphClientFactory },
  ],
  exports: [GraphClientFactory],
})
export class GraphModule {}
