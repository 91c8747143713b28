export * from './configured-graph-client.factory';
export * from './graph.module';
