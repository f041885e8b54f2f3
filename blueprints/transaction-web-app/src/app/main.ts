import { createDatabasePool, readDatabaseConfig } from './database-pool';
import { JsonLogger } from './json-logger';
import { createTransactionServer } from './server';
import { TransactionStore } from './transaction-store';

// The container's entry point: configuration from the environment the task definition sets, then serve until ECS stops the task.
const logger = new JsonLogger({ service: 'transaction-api' });
const config = readDatabaseConfig(process.env);
const pool = createDatabasePool(config);
// An idle connection the database closed (a failover, maxLifetimeSeconds): the pool drops it; log it, do not crash.
pool.on('error', error => logger.warn('an idle database connection failed', { error: error.message }));

const server = createTransactionServer({ store: new TransactionStore(pool), logger });
const port = Number(process.env.PORT ?? '8080');
server.listen(port, () => {
  const address = server.address();
  logger.info('listening', { port: typeof address === 'object' && address ? address.port : port, database: config.host, user: config.user });
});

// ECS sends SIGTERM, then SIGKILL after the stop timeout: finish the requests in flight, close the pool, exit 0.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info('stopping', { signal });
    server.close(() => {
      pool.end().then(() => process.exit(0), () => process.exit(0));
    });
    server.closeIdleConnections();
  });
}
