// Jest config for mutation testing only: the same specs minus the Kafka broker integration test,
// whose consumer-group joins would make every one of ~900 mutant runs several seconds slower. The
// logic it exercises (KafkaEventGuard, binding, dead-lettering) is covered by the unit specs.
const base = require('./jest.config.cjs');
module.exports = { ...base, testPathIgnorePatterns: [...base.testPathIgnorePatterns, 'kafka\\.integration\\.spec\\.ts$'] };
