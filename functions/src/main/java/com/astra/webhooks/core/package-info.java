/**
 * Domain code shared by every handler: JSON and ids, webhook signing ({@code signing}), the
 * retry policy ({@code retry}), the SSRF guard for target URLs ({@code urlguard}) and the HTTP
 * client that performs one delivery attempt ({@code http}).
 *
 * <p>Nothing in this package or below it uses AWS types, so all of it runs and is tested
 * without Lambda, DynamoDB or SQS. Handlers adapt AWS events to these classes, never the
 * other way round. Every class here is immutable or otherwise safe to share between threads.
 */
package com.astra.webhooks.core;
