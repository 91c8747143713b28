import { Injectable } from '@nestjs/common';

/** The current time, behind a class we own so services can be tested with a fixed clock. */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
