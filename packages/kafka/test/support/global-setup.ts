import { brokerAnswers, MANAGED_BROKER, startBroker } from './broker.js';

/**
 * Starts the Kafka test broker (tooling/kafka/start.sh: fetches the jars with Maven on first
 * use) when nothing answers. It keeps running afterwards, shared by later runs. In CI a broker
 * that cannot be started fails the run; locally the test files skip and say why.
 */
export default async function setup(): Promise<void> {
  if (await brokerAnswers()) return;
  if (!MANAGED_BROKER) {
    if (process.env.CI === 'true')
      throw new Error(`no Kafka broker answers at ${process.env.KAFKA_BROKERS}`);
    return;
  }
  try {
    await startBroker();
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(`[kafka] could not start the test broker (tests will skip): ${String(error)}`);
  }
}
